package org.kmerl.autograd;

import org.kmerl.tensor.IndexOps;
import org.kmerl.tensor.Tensor;

/** Gathers and scatters: each one's backward is the other. Indices carry no gradient. */
final class Indexing {
    private Indexing() {
    }

    static Variable gather(Variable a, int axis, Tensor index) {
        int[] in = a.shape();
        Tensor out = IndexOps.gather(a.data(), axis, index);
        return Variable.record("gather", out, g -> {
            try (Tensor zeros = Tensor.zeros(org.kmerl.tensor.DType.FLOAT32, g.device(), in)) {
                return new Tensor[] {IndexOps.scatterAdd(zeros, axis, index, g)};
            }
        }, a);
    }

    static Variable indexSelect(Variable a, int axis, Tensor index) {
        int[] in = a.shape();
        Tensor out = IndexOps.indexSelect(a.data(), axis, index);
        return Variable.record("indexSelect", out, g -> new Tensor[] {IndexOps.indexAdd(in, axis, index, g)}, a);
    }

    /** {@code dst} with {@code src} added at {@code index}: d/d dst = g, d/d src = g gathered at index. */
    static Variable scatterAdd(Variable dst, int axis, Tensor index, Variable src) {
        Tensor out = IndexOps.scatterAdd(dst.data(), axis, index, src.data());
        return Variable.record("scatterAdd", out, g -> new Tensor[] {
            g,
            src.requiresGrad() ? IndexOps.gather(g, axis, index) : null
        }, dst, src);
    }
}
