// Strided copies (with float32 <-> int32 conversion) and fills: the kernels behind contiguous(),
// copyFrom, toInt/toFloat and fill on any view.
#include "kmerl_common.cuh"

// isInt flags say whether each buffer holds int32; float -> int truncates toward zero and
// saturates (NaN -> 0), as cvt.rzi does and as Java's (int) cast does.
// v1: any layout, with float/int conversion; the element's offset in each tensor decomposed from its
// flat index (one integer division per axis and tensor).
extern "C" __global__ void kmerl_copy_strided(int n, Dims dims, void* dst, Strides ds, int dstInt,
                                              const void* src, Strides ss, int srcInt) {
    GRID_STRIDE_LOOP(i, n) {
        int so = strided_offset(i, dims, ss);
        int dof = strided_offset(i, dims, ds);
        if (srcInt == dstInt) {
            ((int*) dst)[dof] = ((const int*) src)[so];   // same 4-byte width: a bit copy
        } else if (dstInt) {
            ((int*) dst)[dof] = __float2int_rz(((const float*) src)[so]);
        } else {
            ((float*) dst)[dof] = (float) ((const int*) src)[so];
        }
    }
}

// v2 rows: the last axis has unit stride in both tensors (a head split [B, T, H, D] -> [B, H, T, D]).
// A group of `lanes` threads (a power of two up to 32) copies one row, every coordinate but the last
// fixed: the offsets are decomposed once per row instead of once per element and tensor, and the group
// moves `lanes` adjacent units per step. A unit is one 4-byte element, or four (int4, 16-byte loads and
// stores) when the row length, offsets and strides are multiples of 4; Dims/Strides then count units.
// Same-width bit copies only (conversions take v1).
template <typename T>
__device__ __forceinline__ void copy_rows(int rows, int units, int lanes, const Dims& outer, T* dst, const Strides& ds,
                                          const T* src, const Strides& ss) {
    int groups = blockDim.x / lanes, lane = threadIdx.x % lanes;
    for (int r = blockIdx.x * groups + threadIdx.x / lanes; r < rows; r += gridDim.x * groups) {
        const T* s = src + strided_offset(r, outer, ss);
        T* d = dst + strided_offset(r, outer, ds);
        for (int j = lane; j < units; j += lanes) d[j] = s[j];
    }
}

extern "C" __global__ void kmerl_copy_v2_rows(int rows, int units, int lanes, Dims outer, int* dst, Strides ds,
                                              const int* src, Strides ss) {
    copy_rows(rows, units, lanes, outer, dst, ds, src, ss);
}

extern "C" __global__ void kmerl_copy_v2_rows_vec4(int rows, int units, int lanes, Dims outer, int4* dst, Strides ds,
                                                   const int4* src, Strides ss) {
    copy_rows(rows, units, lanes, outer, dst, ds, src, ss);
}

// v3 tiles: a transpose. Axis A has unit stride in the source, the last axis L unit stride in the
// destination, so no order of the elements is coalesced on both sides. A 32x32 tile is read along A
// (coalesced in the source), staged in shared memory (33 columns: a column read hits 32 different
// banks) and written along L (coalesced in the destination). blockIdx.z walks the other axes.
extern "C" __global__ void kmerl_copy_v3_tiles(int sizeA, int sizeL, int batches, Dims batch,
                                               int* dst, Strides ds, int dstStrideA,
                                               const int* src, Strides ss, int srcStrideL) {
    __shared__ int tile[32][33];
    int a0 = blockIdx.y * 32, l0 = blockIdx.x * 32;
    for (int z = blockIdx.z; z < batches; z += gridDim.z) {
        const int* s = src + strided_offset(z, batch, ss);
        int* d = dst + strided_offset(z, batch, ds);
        for (int y = threadIdx.y; y < 32; y += blockDim.y) {
            int a = a0 + threadIdx.x, l = l0 + y;
            if (a < sizeA && l < sizeL) tile[y][threadIdx.x] = s[a + l * srcStrideL];
        }
        __syncthreads();
        for (int y = threadIdx.y; y < 32; y += blockDim.y) {
            int l = l0 + threadIdx.x, a = a0 + y;
            if (a < sizeA && l < sizeL) d[l + a * dstStrideA] = tile[threadIdx.x][y];
        }
        __syncthreads();
    }
}

extern "C" __global__ void kmerl_copy_contiguous(int n, int* dst, const int* src) {
    GRID_STRIDE_LOOP(i, n) dst[i] = src[i];
}

extern "C" __global__ void kmerl_fill_strided(int n, Dims dims, void* dst, Strides ds, int dstInt, float value) {
    GRID_STRIDE_LOOP(i, n) {
        int o = strided_offset(i, dims, ds);
        if (dstInt) ((int*) dst)[o] = __float2int_rz(value);
        else ((float*) dst)[o] = value;
    }
}
