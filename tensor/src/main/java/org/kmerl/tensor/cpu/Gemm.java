package org.kmerl.tensor.cpu;

/**
 * One single-threaded matrix product over raw arrays, the unit the CPU matmul and the fused
 * attention and CLIP kernels are built from:
 * <pre>
 *   C[i, j] (+)= sum_p A[i, p] * B[p, j]      i < m, j < n, p < k
 *   A[i, p] = a[aOff + i*sam + p*sak]     B[p, j] = b[bOff + p*sbk + j*sbn]     C[i, j] = c[cOff + i*ldc + j]
 * </pre>
 * Any operand strides are allowed, so transposed operands cost no copy at the call site. With
 * {@code accumulate} the product is added to C, otherwise C is overwritten (and need not be zeroed).
 */
public interface Gemm {
    void multiply(int m, int n, int k, float[] a, int aOff, int sam, int sak, float[] b, int bOff, int sbk, int sbn,
                  float[] c, int cOff, int ldc, boolean accumulate);

    /** The readable reference: i-p-j loops, each row of C built from rows of B. */
    Gemm REFERENCE = (m, n, k, a, aOff, sam, sak, b, bOff, sbk, sbn, c, cOff, ldc, accumulate) -> {
        for (int i = 0; i < m; i++) {
            int c0 = cOff + i * ldc;
            if (!accumulate) {
                java.util.Arrays.fill(c, c0, c0 + n, 0f);
            }
            for (int p = 0; p < k; p++) {
                float aip = a[aOff + i * sam + p * sak];
                int b0 = bOff + p * sbk;
                for (int j = 0; j < n; j++) {
                    c[c0 + j] += aip * b[b0 + j * sbn];
                }
            }
        }
    };
}
