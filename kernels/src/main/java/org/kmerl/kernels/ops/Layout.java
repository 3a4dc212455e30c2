package org.kmerl.kernels.ops;

import java.util.ArrayList;
import java.util.List;
import org.kmerl.kernels.runtime.Struct;
import org.kmerl.tensor.Tensor;

/**
 * An iteration space shared by several operands, in the form the kernels take ({@code Dims} and one
 * {@code Strides} per operand, see kmerl_common.cuh). Size-1 axes are dropped and neighbouring axes that
 * are contiguous in every operand are merged, so a dense tensor becomes one axis and the per-element
 * index arithmetic stays short; at most 8 axes may remain.
 */
final class Layout {
    static final int MAX_RANK = 8;

    private final int numel;
    private final int[] sizes;
    private final int[][] strides;
    private final int[] offsets;

    private Layout(int numel, int[] sizes, int[][] strides, int[] offsets) {
        this.numel = numel;
        this.sizes = sizes;
        this.strides = strides;
        this.offsets = offsets;
    }

    /** Operands viewed over {@code shape} (each has that shape; broadcast ones carry stride 0). */
    static Layout of(int[] shape, Tensor... operands) {
        int[][] strides = new int[operands.length][];
        int[] offsets = new int[operands.length];
        for (int i = 0; i < operands.length; i++) {
            strides[i] = operands[i].strides();
            offsets[i] = operands[i].offset();
        }
        return of(shape, strides, offsets);
    }

    static Layout of(int[] shape, int[][] operandStrides, int[] offsets) {
        int numel = 1;
        for (int s : shape) {
            numel *= s;
        }
        int ops = operandStrides.length;
        List<int[]> merged = new ArrayList<>();   // each entry: size, stride of op 0, stride of op 1, ...
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            if (shape[axis] == 1) {
                continue;
            }
            int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            boolean mergeable = last != null;
            for (int o = 0; mergeable && o < ops; o++) {
                mergeable = (long) operandStrides[o][axis] == (long) last[1 + o] * last[0];
            }
            if (mergeable) {
                last[0] *= shape[axis];
            } else {
                int[] entry = new int[1 + ops];
                entry[0] = shape[axis];
                for (int o = 0; o < ops; o++) {
                    entry[1 + o] = operandStrides[o][axis];
                }
                merged.add(entry);
            }
        }
        if (merged.size() > MAX_RANK) {
            throw new IllegalArgumentException("CUDA kernels take at most " + MAX_RANK + " non-mergeable axes; shape "
                    + java.util.Arrays.toString(shape) + " has " + merged.size());
        }
        int rank = merged.size();
        int[] sizes = new int[rank];
        int[][] strides = new int[ops][rank];
        for (int i = 0; i < rank; i++) {
            int[] e = merged.get(rank - 1 - i);
            sizes[i] = e[0];
            for (int o = 0; o < ops; o++) {
                strides[o][i] = e[1 + o];
            }
        }
        return new Layout(numel, sizes, strides, offsets.clone());
    }

    /**
     * This space without the given axes (ascending), every operand keeping its offset: the outer loops
     * of a kernel that handles those axes itself. Remaining axes merge again where they can.
     */
    Layout without(int... axes) {
        int rank = sizes.length - axes.length;
        int[] shape = new int[rank];
        int[][] kept = new int[strides.length][rank];
        for (int a = 0, k = 0, skip = 0; a < sizes.length; a++) {
            if (skip < axes.length && axes[skip] == a) {
                skip++;
                continue;
            }
            shape[k] = sizes[a];
            for (int o = 0; o < strides.length; o++) {
                kept[o][k] = strides[o][a];
            }
            k++;
        }
        return of(shape, kept, offsets);
    }

    /** True when every operand's offset and strides are multiples of {@code units} (vector loads fit). */
    boolean divisibleBy(int units) {
        for (int o = 0; o < strides.length; o++) {
            if (offsets[o] % units != 0) {
                return false;
            }
            for (int st : strides[o]) {
                if (st % units != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The same space counted in units of {@code units} elements (requires {@link #divisibleBy}). */
    Layout dividedBy(int units) {
        int[][] s = new int[strides.length][];
        int[] off = new int[offsets.length];
        for (int o = 0; o < strides.length; o++) {
            s[o] = strides[o].clone();
            for (int a = 0; a < s[o].length; a++) {
                s[o][a] /= units;
            }
            off[o] = offsets[o] / units;
        }
        return new Layout(numel, sizes.clone(), s, off);
    }

    int numel() {
        return numel;
    }

    int rank() {
        return sizes.length;
    }

    /** True when every operand walks memory with stride 1 (one flat index serves all). */
    boolean dense() {
        if (sizes.length == 0) {
            return true;
        }
        if (sizes.length > 1) {
            return false;
        }
        for (int[] s : strides) {
            if (s[0] != 1) {
                return false;
            }
        }
        return true;
    }

    Struct dims() {
        return Struct.ofInts(1 + MAX_RANK).put(sizes.length).put(sizes, MAX_RANK);
    }

    Struct strides(int operand) {
        return Struct.ofInts(1 + MAX_RANK).put(offsets[operand]).put(strides[operand], MAX_RANK);
    }

    int[] operandStrides(int operand) {
        return strides[operand].clone();
    }

    int[] sizes() {
        return sizes.clone();
    }
}
