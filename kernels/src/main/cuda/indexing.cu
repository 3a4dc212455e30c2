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

// index_add v2 (a vector index shared by every line, as in an embedding's backward): blockIdx.y = p
// owns the range [p*R/P, (p+1)*R/P) of the R destination rows, the block's threads take 256 lines.
// All threads of a block share that range, so the block reads the index 256 positions at a time,
// keeps the positions whose target lies in the range (a ballot per warp and a prefix over the
// block's warps compact them in index order into shared memory), and every thread then adds just
// those. Each element keeps one owner adding in index order, so the sums are v1's bit for bit; a few
// hundred lines get P times the threads, and a thread's work is its range's share of the positions
// instead of all of them. Targets outside [0, R) match no range and are skipped.
extern "C" __global__ void __launch_bounds__(256) kmerl_index_add_v2_ranges(int lines, Dims lineDims, int length,
                                                     int dstAxisSize, float* dst, Strides ds, int dstAxisStride,
                                                     const float* src, Strides ss, int srcAxisStride,
                                                     const int* index, int indexOffset, int indexStride) {
    __shared__ int hitTarget[256], hitPosition[256], warpHits[8];
    int line = blockIdx.x * blockDim.x + threadIdx.x;
    int p = blockIdx.y, parts = gridDim.y;
    int lo = (int) ((long long) p * dstAxisSize / parts), hi = (int) ((long long) (p + 1) * dstAxisSize / parts);
    int warp = threadIdx.x >> 5, lane = threadIdx.x & 31, warps = blockDim.x >> 5;
    bool active = line < lines;
    int d0 = active ? strided_offset(line, lineDims, ds) : 0;
    int s0 = active ? strided_offset(line, lineDims, ss) : 0;
    for (int base = 0; base < length; base += blockDim.x) {
        int j = base + threadIdx.x;
        int at = j < length ? index[indexOffset + j * indexStride] : -1;
        bool hit = at >= lo && at < hi;
        unsigned ballot = __ballot_sync(0xffffffffu, hit);
        if (lane == 0) warpHits[warp] = __popc(ballot);
        __syncthreads();
        int before = 0, total = 0;
        for (int w = 0; w < warps; ++w) {
            before += w < warp ? warpHits[w] : 0;
            total += warpHits[w];
        }
        if (hit) {
            int slot = before + __popc(ballot & ((1u << lane) - 1u));
            hitTarget[slot] = at;
            hitPosition[slot] = j;
        }
        __syncthreads();
        if (active) {
            for (int k = 0; k < total; ++k) {
                dst[d0 + hitTarget[k] * dstAxisStride] += src[s0 + hitPosition[k] * srcAxisStride];
            }
        }
        __syncthreads();
    }
}
