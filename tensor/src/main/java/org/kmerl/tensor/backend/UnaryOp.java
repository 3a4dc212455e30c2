package org.kmerl.tensor.backend;

import org.kmerl.tensor.MathFunctions;

/**
 * Elementwise functions of one argument. Each constant holds the reference math side by side: the
 * value {@code apply(x)} and the derivative {@code derivative(x, y)} where {@code y = apply(x)}, so
 * backward kernels can use whichever of the two is cheaper. Backends must match these to float
 * rounding.
 */
public enum UnaryOp {
    NEG {
        public float apply(float x) { return -x; }
        public float derivative(float x, float y) { return -1f; }
    },
    EXP {
        public float apply(float x) { return (float) Math.exp(x); }
        public float derivative(float x, float y) { return y; }
    },
    LOG {
        public float apply(float x) { return (float) Math.log(x); }
        public float derivative(float x, float y) { return 1f / x; }
    },
    SQRT {
        public float apply(float x) { return (float) Math.sqrt(x); }
        public float derivative(float x, float y) { return 0.5f / y; }
    },
    RSQRT {
        public float apply(float x) { return (float) (1.0 / Math.sqrt(x)); }
        public float derivative(float x, float y) { return -0.5f * y * y * y; }
    },
    RECIPROCAL {
        public float apply(float x) { return 1f / x; }
        public float derivative(float x, float y) { return -y * y; }
    },
    SQUARE {
        public float apply(float x) { return x * x; }
        public float derivative(float x, float y) { return 2f * x; }
    },
    ABS {
        public float apply(float x) { return Math.abs(x); }
        public float derivative(float x, float y) { return Math.signum(x); }
    },
    TANH {
        public float apply(float x) { return (float) Math.tanh(x); }
        public float derivative(float x, float y) { return 1f - y * y; }
    },
    SIGMOID {
        public float apply(float x) { return MathFunctions.sigmoid(x); }
        public float derivative(float x, float y) { return y * (1f - y); }
    },
    RELU {
        public float apply(float x) { return x > 0f ? x : 0f; }
        public float derivative(float x, float y) { return x > 0f ? 1f : 0f; }
    },
    /** GELU in its exact (erf) form: x * Phi(x), as PyTorch's default {@code approximate='none'}. */
    GELU {
        public float apply(float x) { return MathFunctions.gelu(x); }
        public float derivative(float x, float y) { return MathFunctions.geluDerivative(x); }
    };

    public abstract float apply(float x);

    public abstract float derivative(float x, float y);

    public String opName() {
        return name().toLowerCase();
    }
}
