package org.kmerl.tensor.backend;

/** Reductions over a set of axes. Mean and variance are composed from SUM by the ops layer. */
public enum ReduceOp {
    SUM(0f) { public float combine(float acc, float x) { return acc + x; } },
    MAX(Float.NEGATIVE_INFINITY) {
        public float combine(float acc, float x) { return x > acc || Float.isNaN(x) ? x : acc; }
    },
    MIN(Float.POSITIVE_INFINITY) {
        public float combine(float acc, float x) { return x < acc || Float.isNaN(x) ? x : acc; }
    };

    private final float identity;

    ReduceOp(float identity) {
        this.identity = identity;
    }

    public float identity() {
        return identity;
    }

    public abstract float combine(float acc, float x);

    public String opName() {
        return name().toLowerCase();
    }
}
