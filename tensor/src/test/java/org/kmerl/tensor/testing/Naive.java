package org.kmerl.tensor.testing;

import java.util.function.Consumer;

/** Index arithmetic for the plain-loop references that tests compare kernels against. */
public final class Naive {
    private Naive() {
    }

    /** Calls {@code body} with every multi-index of {@code shape} in row-major order (one call for rank 0). */
    public static void forEachIndex(int[] shape, Consumer<int[]> body) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        int[] index = new int[shape.length];
        for (int k = 0; k < n; k++) {
            body.accept(index.clone());
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
    }

    /** Row-major flat position of {@code index} in {@code shape}. */
    public static int flat(int[] shape, int[] index) {
        int p = 0;
        for (int d = 0; d < shape.length; d++) {
            p = p * shape[d] + index[d];
        }
        return p;
    }

    /** Position in a broadcast operand: axes of size 1 read index 0, leading missing axes are ignored. */
    public static int broadcastFlat(int[] operandShape, int[] outIndex) {
        int lead = outIndex.length - operandShape.length;
        int p = 0;
        for (int d = 0; d < operandShape.length; d++) {
            int i = operandShape[d] == 1 ? 0 : outIndex[d + lead];
            p = p * operandShape[d] + i;
        }
        return p;
    }
}
