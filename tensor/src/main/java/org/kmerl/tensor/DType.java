package org.kmerl.tensor;

/**
 * Element types. Float32 carries all arithmetic; int32 carries indices and class labels.
 * The safetensors names are the ones the Python library writes.
 */
public enum DType {
    FLOAT32(4, "F32"),
    INT32(4, "I32");

    private final int byteSize;
    private final String safetensorsName;

    DType(int byteSize, String safetensorsName) {
        this.byteSize = byteSize;
        this.safetensorsName = safetensorsName;
    }

    public int byteSize() {
        return byteSize;
    }

    public String safetensorsName() {
        return safetensorsName;
    }

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
