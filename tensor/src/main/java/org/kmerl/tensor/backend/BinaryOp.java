package org.kmerl.tensor.backend;

/**
 * Elementwise functions of two arguments, after NumPy broadcasting. Comparisons return 1 or 0 as
 * float32 (a mask that {@code where} and {@code mul} take directly).
 */
public enum BinaryOp {
    ADD { public float apply(float a, float b) { return a + b; } },
    SUB { public float apply(float a, float b) { return a - b; } },
    MUL { public float apply(float a, float b) { return a * b; } },
    DIV { public float apply(float a, float b) { return a / b; } },
    POW { public float apply(float a, float b) { return (float) Math.pow(a, b); } },
    MAXIMUM { public float apply(float a, float b) { return Float.isNaN(a) || a >= b ? a : b; } },
    MINIMUM { public float apply(float a, float b) { return Float.isNaN(a) || a <= b ? a : b; } },
    EQ { public float apply(float a, float b) { return a == b ? 1f : 0f; } },
    NE { public float apply(float a, float b) { return a != b ? 1f : 0f; } },
    LT { public float apply(float a, float b) { return a < b ? 1f : 0f; } },
    LE { public float apply(float a, float b) { return a <= b ? 1f : 0f; } },
    GT { public float apply(float a, float b) { return a > b ? 1f : 0f; } },
    GE { public float apply(float a, float b) { return a >= b ? 1f : 0f; } };

    public abstract float apply(float a, float b);

    public String opName() {
        return name().toLowerCase();
    }
}
