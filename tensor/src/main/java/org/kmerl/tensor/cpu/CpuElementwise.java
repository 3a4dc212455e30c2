package org.kmerl.tensor.cpu;

import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.BinaryOp;
import org.kmerl.tensor.backend.ElementwiseKernels;
import org.kmerl.tensor.backend.UnaryOp;

/** Reference elementwise loops: one strided walk per call, the math taken from the op enums. */
final class CpuElementwise implements ElementwiseKernels {

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        float[] xs = CpuStorage.floats(x);
        float[] os = CpuStorage.floats(out);
        StridedLoop loop = StridedLoop.over(out.shape(), x, out);
        int sx = loop.innerStride(0);
        int so = loop.innerStride(1);
        loop.run((off, n) -> {
            for (int i = 0, a = off[0], o = off[1]; i < n; i++, a += sx, o += so) {
                os[o] = op.apply(xs[a]);
            }
        });
    }

    @Override
    public void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor gradOut, Tensor gradIn) {
        float[] xs = CpuStorage.floats(x);
        float[] ys = CpuStorage.floats(y);
        float[] gs = CpuStorage.floats(gradOut);
        float[] os = CpuStorage.floats(gradIn);
        StridedLoop loop = StridedLoop.over(gradIn.shape(), x, y, gradOut, gradIn);
        int sx = loop.innerStride(0);
        int sy = loop.innerStride(1);
        int sg = loop.innerStride(2);
        int so = loop.innerStride(3);
        loop.run((off, n) -> {
            for (int i = 0, a = off[0], b = off[1], g = off[2], o = off[3]; i < n;
                 i++, a += sx, b += sy, g += sg, o += so) {
                os[o] = gs[g] * op.derivative(xs[a], ys[b]);
            }
        });
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        float[] as = CpuStorage.floats(a);
        float[] bs = CpuStorage.floats(b);
        float[] os = CpuStorage.floats(out);
        StridedLoop loop = StridedLoop.over(out.shape(), a, b, out);
        int sa = loop.innerStride(0);
        int sb = loop.innerStride(1);
        int so = loop.innerStride(2);
        loop.run((off, n) -> {
            for (int i = 0, p = off[0], q = off[1], o = off[2]; i < n; i++, p += sa, q += sb, o += so) {
                os[o] = op.apply(as[p], bs[q]);
            }
        });
    }

    @Override
    public void binaryScalar(BinaryOp op, Tensor a, float b, Tensor out) {
        float[] as = CpuStorage.floats(a);
        float[] os = CpuStorage.floats(out);
        StridedLoop loop = StridedLoop.over(out.shape(), a, out);
        int sa = loop.innerStride(0);
        int so = loop.innerStride(1);
        loop.run((off, n) -> {
            for (int i = 0, p = off[0], o = off[1]; i < n; i++, p += sa, o += so) {
                os[o] = op.apply(as[p], b);
            }
        });
    }

    @Override
    public void clamp(Tensor x, float lo, float hi, Tensor out) {
        float[] xs = CpuStorage.floats(x);
        float[] os = CpuStorage.floats(out);
        StridedLoop loop = StridedLoop.over(out.shape(), x, out);
        int sx = loop.innerStride(0);
        int so = loop.innerStride(1);
        loop.run((off, n) -> {
            for (int i = 0, p = off[0], o = off[1]; i < n; i++, p += sx, o += so) {
                float v = xs[p];
                os[o] = v < lo ? lo : (v > hi ? hi : v);
            }
        });
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        float[] cs = CpuStorage.floats(cond);
        float[] as = CpuStorage.floats(a);
        float[] bs = CpuStorage.floats(b);
        float[] os = CpuStorage.floats(out);
        StridedLoop loop = StridedLoop.over(out.shape(), cond, a, b, out);
        int sc = loop.innerStride(0);
        int sa = loop.innerStride(1);
        int sb = loop.innerStride(2);
        int so = loop.innerStride(3);
        loop.run((off, n) -> {
            for (int i = 0, c = off[0], p = off[1], q = off[2], o = off[3]; i < n;
                 i++, c += sc, p += sa, q += sb, o += so) {
                os[o] = cs[c] != 0f ? as[p] : bs[q];
            }
        });
    }
}
