package org.kmerl.tensor;

/** Argument checks shared by the op families; messages name the op, the shapes and the devices. */
public final class Checks {
    private Checks() {
    }

    public static void sameDevice(String op, Tensor... tensors) {
        Device first = null;
        for (Tensor t : tensors) {
            if (t == null) {
                continue;
            }
            if (first == null) {
                first = t.device();
            } else if (!first.equals(t.device())) {
                StringBuilder sb = new StringBuilder(op).append(": tensors are on different devices:");
                for (Tensor u : tensors) {
                    if (u != null) {
                        sb.append(' ').append(Shape.format(u.shape())).append('@').append(u.device());
                    }
                }
                throw new IllegalArgumentException(sb.toString());
            }
        }
    }

    public static void dtype(String op, String argument, Tensor t, DType expected) {
        if (t.dtype() != expected) {
            throw new IllegalArgumentException(op + ": " + argument + " must be " + expected + ", got "
                    + t.dtype() + " tensor of shape " + Shape.format(t.shape()));
        }
    }

    public static void rank(String op, String argument, Tensor t, int expected) {
        if (t.rank() != expected) {
            throw new ShapeException(op + ": " + argument + " must be " + expected + "-D, got shape "
                    + Shape.format(t.shape()));
        }
    }

    public static void shape(String op, String argument, Tensor t, int... expected) {
        if (!java.util.Arrays.equals(t.shape(), expected)) {
            throw new ShapeException(op + ": " + argument + " must have shape " + Shape.format(expected) + ", got "
                    + Shape.format(t.shape()));
        }
    }
}
