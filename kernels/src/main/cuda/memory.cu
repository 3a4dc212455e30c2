// Strided copies (with float32 <-> int32 conversion) and fills: the kernels behind contiguous(),
// copyFrom, toInt/toFloat and fill on any view.
#include "kmerl_common.cuh"

// isInt flags say whether each buffer holds int32; float -> int truncates toward zero and
// saturates (NaN -> 0), as cvt.rzi does and as Java's (int) cast does.
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
