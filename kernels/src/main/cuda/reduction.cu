// Reductions over any set of axes. The Java side splits the input's axes into "kept" (one output
// each) and "reduced" (walked per output). Two variants:
//   v1 thread per output: each thread walks its reduced elements in order (best when there are many outputs);
//   v2 block per output: 256 threads stride over the reduced elements, then a fixed tree (few, long outputs);
//   v3 warp per output: 32 lanes stride over a contiguous reduced axis, coalesced (row sums of a matrix);
//   v4 split: each output's elements are cut into chunks reduced by separate blocks into partials, then a
//      second launch reduces the partials (a full sum of millions of elements fills the whole GPU).
// Sums accumulate in double; both orders are fixed, so results never depend on timing.
#include "kmerl_common.cuh"

// Offset of reduced element j: one merged axis (the common case: a row, or all of a dense tensor)
// needs a multiply, not the general index decomposition.
__device__ __forceinline__ int reduced_offset(int j, const Dims& reduced, const Strides& rx) {
    return reduced.rank == 1 ? j * rx.stride[0] : strided_offset(j, reduced, rx);
}

// Folds x[base + offset(j)] for j = first, first + step, ... below end into sum (R_SUM: in double, in j order) or
// ext (the other ops). The op is tested once, outside the loops, so each loop unrolls and has several loads in
// flight; with the test inside the loop body the compiler kept one load per iteration, and each waited for
// memory (v4's full sum of 16M floats ran at 36% of the H200's bandwidth). The order of the sum is unchanged.
__device__ __forceinline__ void fold_range(int op, const float* x, int base, int first, int end, int step,
                                           const Dims& reduced, const Strides& rx, double& sum, float& ext) {
    if (op == R_SUM) {
#pragma unroll 4
        for (int j = first; j < end; j += step) sum += x[base + reduced_offset(j, reduced, rx)];
    } else {
#pragma unroll 4
        for (int j = first; j < end; j += step) ext = reduce_combine(op, ext, x[base + reduced_offset(j, reduced, rx)]);
    }
}

extern "C" __global__ void kmerl_reduce_v1_thread_per_output(int op, int outputs, Dims kept, Strides keptX,
                                                             int count, Dims reduced, Strides reducedX,
                                                             const float* x, float* out) {
    GRID_STRIDE_LOOP(o, outputs) {
        double sum = 0;
        float ext = reduce_identity(op);
        fold_range(op, x, strided_offset(o, kept, keptX), 0, count, 1, reduced, reducedX, sum, ext);
        out[o] = op == R_SUM ? (float) sum : ext;
    }
}

extern "C" __global__ void kmerl_reduce_v2_block_per_output(int op, int outputs, Dims kept, Strides keptX,
                                                            int count, Dims reduced, Strides reducedX,
                                                            const float* x, float* out) {
    __shared__ double sums[256];
    __shared__ float extremes[256];
    for (int o = blockIdx.x; o < outputs; o += gridDim.x) {
        int base = strided_offset(o, kept, keptX);
        double sum = 0;
        float ext = reduce_identity(op);
        fold_range(op, x, base, threadIdx.x, count, blockDim.x, reduced, reducedX, sum, ext);
        sums[threadIdx.x] = sum;
        extremes[threadIdx.x] = ext;
        __syncthreads();
        for (int half = blockDim.x / 2; half > 0; half >>= 1) {
            if (threadIdx.x < half) {
                sums[threadIdx.x] += sums[threadIdx.x + half];
                extremes[threadIdx.x] = reduce_combine(op, extremes[threadIdx.x], extremes[threadIdx.x + half]);
            }
            __syncthreads();
        }
        if (threadIdx.x == 0) out[o] = op == R_SUM ? (float) sums[0] : extremes[0];
        __syncthreads();
    }
}

extern "C" __global__ void kmerl_reduce_v3_warp_per_output(int op, int outputs, Dims kept, Strides keptX,
                                                           int count, Dims reduced, Strides reducedX,
                                                           const float* x, float* out) {
    int lane = threadIdx.x & 31, warps = blockDim.x >> 5;
    for (int o = blockIdx.x * warps + (threadIdx.x >> 5); o < outputs; o += gridDim.x * warps) {
        int base = strided_offset(o, kept, keptX);
        double sum = 0;
        float ext = reduce_identity(op);
        fold_range(op, x, base, lane, count, 32, reduced, reducedX, sum, ext);
#pragma unroll
        for (int d = 16; d > 0; d >>= 1) {
            sum += __shfl_xor_sync(0xffffffffu, sum, d);
            ext = reduce_combine(op, ext, __shfl_xor_sync(0xffffffffu, ext, d));
        }
        if (lane == 0) out[o] = op == R_SUM ? (float) sum : ext;
    }
}

// Pass 1 of v4: block (o, s) reduces elements [s*chunk, min(count, (s+1)*chunk)) of output o into
// partial[o * splits + s]; pass 2 is v2 run over the partials (kept = outputs, reduced = splits).
extern "C" __global__ void kmerl_reduce_v4_split_partials(int op, int outputs, Dims kept, Strides keptX,
                                                          int count, Dims reduced, Strides reducedX,
                                                          const float* x, float* partial, int splits, int chunk) {
    __shared__ double sums[256];
    __shared__ float extremes[256];
    int o = blockIdx.y, s = blockIdx.x;
    int base = strided_offset(o, kept, keptX);
    int end = min(count, (s + 1) * chunk);
    double sum = 0;
    float ext = reduce_identity(op);
    fold_range(op, x, base, s * chunk + threadIdx.x, end, blockDim.x, reduced, reducedX, sum, ext);
    sums[threadIdx.x] = sum;
    extremes[threadIdx.x] = ext;
    __syncthreads();
    for (int half = blockDim.x / 2; half > 0; half >>= 1) {
        if (threadIdx.x < half) {
            sums[threadIdx.x] += sums[threadIdx.x + half];
            extremes[threadIdx.x] = reduce_combine(op, extremes[threadIdx.x], extremes[threadIdx.x + half]);
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) partial[(size_t) o * splits + s] = op == R_SUM ? (float) sums[0] : extremes[0];
}

// v5 pass 1, columns: the innermost kept axis has unit stride in x (the column sums of a row-major
// matrix, a bias gradient, a mean over tokens of [B, T, W]). Block (32, 8): the 32 lanes of a warp take
// 32 adjacent outputs, mostly adjacent floats, so each load is one coalesced row segment; thread row y of block row s walks reduced elements j = s*8 + y, then every
// gridDim.y * 8-th. The 8 thread rows are combined in order into partial[s * outputs + o]; pass 2 (v1
// over the partials) adds the splits in order, so the result does not depend on timing.
extern "C" __global__ void kmerl_reduce_v5_column_partials(int op, int outputs, Dims kept, Strides keptX,
                                                          int count, Dims reduced, Strides reducedX,
                                                          const float* x, float* partial) {
    __shared__ double sums[8][32];
    __shared__ float extremes[8][32];
    int o = blockIdx.x * 32 + threadIdx.x;
    double sum = 0;
    float ext = reduce_identity(op);
    if (o < outputs) {
        fold_range(op, x, strided_offset(o, kept, keptX), blockIdx.y * blockDim.y + threadIdx.y, count,
                   gridDim.y * blockDim.y, reduced, reducedX, sum, ext);
    }
    sums[threadIdx.y][threadIdx.x] = sum;
    extremes[threadIdx.y][threadIdx.x] = ext;
    __syncthreads();
    if (threadIdx.y == 0 && o < outputs) {
        for (int y = 1; y < blockDim.y; ++y) {
            sum += sums[y][threadIdx.x];
            ext = reduce_combine(op, ext, extremes[y][threadIdx.x]);
        }
        partial[(size_t) blockIdx.y * outputs + o] = op == R_SUM ? (float) sum : ext;
    }
}

// Index of the first maximum along one axis (NaN counts as the maximum, as in PyTorch).
extern "C" __global__ void kmerl_argmax(int outputs, Dims kept, Strides keptX, Strides keptOut,
                                        int length, int stride, const float* x, int* out) {
    GRID_STRIDE_LOOP(o, outputs) {
        int base = strided_offset(o, kept, keptX);
        float best = x[base];
        int bestAt = 0;
        for (int j = 1; j < length; ++j) {
            float v = x[base + j * stride];
            if (v > best || (isnan(v) && !isnan(best))) { best = v; bestAt = j; }
        }
        out[strided_offset(o, kept, keptOut)] = bestAt;
    }
}
