package org.kmerl.tensor;

import java.util.Arrays;

/** Static helpers for shapes (int[] dimension sizes) and strides (int[] element steps per dimension). */
public final class Shape {
    private Shape() {
    }

    /** Number of elements; a rank-0 shape holds one element. */
    public static int numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new ShapeException("shape " + format(shape) + " has " + n + " elements, more than 2^31-1");
        }
        return (int) n;
    }

    /** Row-major strides of a dense tensor of this shape. */
    public static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return strides;
    }

    /** Validates sizes given by a caller: each must be >= 0. */
    public static int[] checkSizes(String op, int... shape) {
        for (int d : shape) {
            if (d < 0) {
                throw new ShapeException(op + ": negative dimension in shape " + format(shape));
            }
        }
        return shape.clone();
    }

    /** Turns a possibly negative axis into 0..rank-1, or throws naming the op and shape. */
    public static int normalizeAxis(String op, int axis, int[] shape) {
        return normalizeAxis(op, axis, shape.length, shape);
    }

    /** As {@link #normalizeAxis(String, int, int[])} for an axis counted over {@code rank} positions. */
    public static int normalizeAxis(String op, int axis, int rank, int[] shapeForMessage) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new ShapeException(op + ": axis " + axis + " is out of range for shape " + format(shapeForMessage)
                    + " (rank " + shapeForMessage.length + ")");
        }
        return a;
    }

    /** Normalised, de-duplicated reduction axes as a mask; an empty axis list means all axes. */
    public static boolean[] axesMask(String op, int[] axes, int[] shape) {
        boolean[] mask = new boolean[shape.length];
        if (axes == null || axes.length == 0) {
            Arrays.fill(mask, true);
            return mask;
        }
        for (int axis : axes) {
            int a = normalizeAxis(op, axis, shape);
            if (mask[a]) {
                throw new ShapeException(op + ": axis " + axis + " repeated in " + Arrays.toString(axes)
                        + " for shape " + format(shape));
            }
            mask[a] = true;
        }
        return mask;
    }

    /** NumPy broadcasting of two shapes. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new ShapeException(op + ": shapes " + format(a) + " and " + format(b) + " are not broadcastable");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** NumPy broadcasting of any number of shapes. */
    public static int[] broadcast(String op, int[]... shapes) {
        int[] out = new int[0];
        for (int[] s : shapes) {
            try {
                out = broadcast(op, out, s);
            } catch (ShapeException e) {
                StringBuilder sb = new StringBuilder(op).append(": shapes");
                for (int[] t : shapes) {
                    sb.append(' ').append(format(t));
                }
                throw new ShapeException(sb.append(" are not broadcastable").toString());
            }
        }
        return out;
    }

    /** Shape after reducing the masked axes, keeping them as size 1 or dropping them. */
    public static int[] reducedShape(int[] shape, boolean[] reduced, boolean keepDim) {
        int kept = 0;
        for (boolean r : reduced) {
            if (!r) {
                kept++;
            }
        }
        int[] out = new int[keepDim ? shape.length : kept];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (!reduced[i]) {
                out[j++] = shape[i];
            } else if (keepDim) {
                out[j++] = 1;
            }
        }
        return out;
    }

    public static String format(int[] shape) {
        return Arrays.toString(shape);
    }
}
