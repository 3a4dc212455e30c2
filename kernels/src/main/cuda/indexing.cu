// Gathers and scatters with int32 indices. The scatters are written without atomics: each thread owns
// one "line" (every coordinate but the indexed axis) and adds along it in index order, so two threads
// never write the same element and the result is deterministic.
#include "kmerl_common.cuh"

// gather / index_select: out[i] = x[x-offset of i's coordinates with the axis coordinate replaced].
// indexStrides walk the index tensor over out's space (gather: index has out's shape;
// index_select: only the axis stride is non-zero). xs has stride 0 on the axis.
extern "C" __global__ void kmerl_gather(int n, Dims dims, float* out, Strides os, const float* x, Strides xs,
                                        int xAxisStride, const int* index, Strides is) {
    GRID_STRIDE_LOOP(i, n) {
        int at = index[strided_offset(i, dims, is)];
        out[strided_offset(i, dims, os)] = x[strided_offset(i, dims, xs) + at * xAxisStride];
    }
}

// scatter_add / index_add over lines: `lines` spans src's shape with the axis collapsed to 1; each line
// walks `length` positions along the axis: dst[.., index[..j..], ..] += src[.., j, ..].
extern "C" __global__ void kmerl_scatter_add_lines(int lines, Dims lineDims, int length,
                                                   float* dst, Strides ds, int dstAxisStride,
                                                   const float* src, Strides ss, int srcAxisStride,
                                                   const int* index, Strides is, int indexAxisStride) {
    GRID_STRIDE_LOOP(line, lines) {
        int d0 = strided_offset(line, lineDims, ds);
        int s0 = strided_offset(line, lineDims, ss);
        int i0 = strided_offset(line, lineDims, is);
        for (int j = 0; j < length; ++j) {
            dst[d0 + index[i0 + j * indexAxisStride] * dstAxisStride] += src[s0 + j * srcAxisStride];
        }
    }
}
