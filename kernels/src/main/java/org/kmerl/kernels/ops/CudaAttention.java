package org.kmerl.kernels.ops;

import org.kmerl.kernels.runtime.CudaStorage;
import org.kmerl.kernels.runtime.Grid;
import org.kmerl.tensor.DType;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.AttentionConfig;
import org.kmerl.tensor.backend.AttentionKernels;

/**
 * Attention (attention.cu). v1, the materialised reference, takes any size; v2, the fused kernels, head
 * sizes up to 128 (entry points for bounds 16/32/64/128 keep each thread's rows in registers); v3 runs
 * the products through the GEMM kernels with [B*H, Tq, Tk] buffers in between; v4 is v3 with fewer passes
 * over those buffers (P kept for the backward, dS computed in the epilogue of dO·vᵀ, gradients added to in
 * the products' epilogues); v5 is v4 handing the products kᵀ and vᵀ as transposed views instead of dense
 * copies (opt-in until a card has timed it). Default: v4 while its buffers stay under {@link #V3_BUFFER_LIMIT}
 * bytes, else v2 (head sizes up to 128), else v1.
 */
public final class CudaAttention implements AttentionKernels {
    private static final String MODULE = "attention";
    private static final int ROWS_PER_BLOCK = 64;
    private static final int[] HEAD_BOUNDS = {16, 32, 64, 128};
    /** Largest [B*H, Tq, Tk] float buffer v3 may allocate by default (it needs three in backward). */
    static final long V3_BUFFER_LIMIT = 1L << 30;
    /**
     * Largest probabilities buffer v4 keeps from a forward for its backward: one per attention layer stays
     * alive until the backward, so a 12-layer model at this size holds 6 GiB of them.
     */
    static final long KEEP_LIMIT = 1L << 29;
    private final DeviceKernels kernels;
    private final CudaMatmul matmul;

    public CudaAttention(DeviceKernels kernels, CudaMatmul matmul) {
        this.kernels = kernels;
        this.matmul = matmul;
    }

    /** Shapes of one call: [B, H, Tq, D] queries, [B, H, Tk, D] keys, [B, H, Tk, Dv] values. */
    private record Dims(int b, int h, int tq, int tk, int d, int dv) {
        static Dims of(Tensor q, Tensor k, Tensor v) {
            return new Dims(q.dim(0), q.dim(1), q.dim(2), k.dim(2), q.dim(3), v.dim(3));
        }

        int bh() {
            return b * h;
        }

        /** Bytes of one [B*H, Tq, Tk] float buffer (scores, probabilities, dP). */
        long scoreBytes() {
            return 4L * bh() * tq * tk;
        }

        /** Lanes that share one row in the fused backward kernels (must match ATTENTION_V2 in attention.cu). */
        int backwardSplit() {
            return bound() >= 64 ? bound() / 32 : 1;
        }

        int bound() {
            int need = Math.max(d, dv);
            for (int bound : HEAD_BOUNDS) {
                if (need <= bound) {
                    return bound;
                }
            }
            return -1;
        }
    }

    /**
     * Forward and backward choose separately (the backward of any variant needs only the saved lse and
     * output). Measured on an H200 (benchmarks/RESULTS.md), v3 is the faster in both directions once the
     * GEMM is v6 and kᵀ is a tiled transpose (forward [8, 6, 1024, 64]: 0.59 ms against v2's 0.98); on an
     * H100, v4 runs forward and backward at [8, 6, 1200, 64] in 2.09 ms against v3's 2.69 (PyTorch's math
     * attention: 2.66). v2 serves the shapes whose buffers would pass {@link #V3_BUFFER_LIMIT}.
     */
    private String variant(Dims s, boolean backward) {
        boolean v3fits = s.scoreBytes() <= V3_BUFFER_LIMIT;
        String auto = v3fits ? "v4" : s.bound() > 0 ? "v2" : "v1";
        String v = kernels.registry().forced("attention").orElse(auto);
        if (v.equals("v2") && s.bound() < 0) {
            throw new IllegalArgumentException("attention v2 takes head sizes up to 128, got " + Math.max(s.d(), s.dv()));
        }
        return v;
    }

    private static boolean onGemm(String variant) {
        return variant.equals("v3") || keepsAndFuses(variant);
    }

    /** v4 and v5: P kept for the backward, dS in the epilogue of dO·vᵀ, gradients added to by the products. */
    private static boolean keepsAndFuses(String variant) {
        return variant.equals("v4") || variant.equals("v5");
    }

    /**
     * kᵀ or vᵀ ([B, H, D, T] from [B, H, T, D]) for a product's B operand. v3 and v4 copy it dense first, from when
     * only a row-major B was staged without bank conflicts; since GEMM v10 swizzles a column-major B's
     * transposing stores too, v5 passes the transposed view itself (when D suits the float4 loads), saving a
     * copy of the operand and a launch per use.
     */
    private static Tensor transposedOperand(Tensor t, String variant) {
        Tensor view = t.transpose(2, 3);
        if (variant.equals("v5") && t.dim(3) % 4 == 0) {
            return view;
        }
        try (view) {
            return view.contiguous();
        }
    }

    /**
     * v3 and v4 read q, k and v only through the GEMMs and kᵀ/vᵀ copies, which take any strides, so head-split
     * views skip AttentionOps' dense copies (80 of the 113 copies of a 12-lead K-MERL step).
     */
    @Override
    public boolean readsViews(Tensor q, Tensor k, Tensor v) {
        Dims s = Dims.of(q, k, v);
        return onGemm(variant(s, false)) && onGemm(variant(s, true));
    }

    /**
     * v4 without dropout keeps P for the backward: its softmax writes P into a [B*H, Tq, Tk] buffer anyway,
     * and the backward then skips recomputing q·kᵀ (one of its four products) and the exp of every score.
     */
    @Override
    public boolean keepsProbabilities(Tensor q, Tensor k, Tensor v, AttentionConfig config) {
        Dims s = Dims.of(q, k, v);
        return config.dropout() == 0f && s.scoreBytes() <= KEEP_LIMIT && keepsAndFuses(variant(s, false))
                && keepsAndFuses(variant(s, true));
    }

    private Object[] common(Dims s, Tensor q, Tensor k, Tensor v, Tensor pad, AttentionConfig c) {
        return new Object[] {s.h(), s.tq(), s.tk(), s.d(), s.dv(), CudaStorage.at(q), CudaStorage.at(k), CudaStorage.at(v),
                CudaStorage.atOrNull(pad), c.scale(), c.dropout(), c.seed(), c.offset()};
    }

    @Override
    public void forward(Tensor q, Tensor k, Tensor v, Tensor keyPadding, AttentionConfig config, Tensor out, Tensor lse,
                        Tensor probabilities) {
        Dims s = Dims.of(q, k, v);
        if (s.bh() == 0 || s.tq() == 0) {
            return;
        }
        String variant = variant(s, false);
        if (!onGemm(variant) || config.dropout() != 0f) {
            throw new IllegalStateException("attention keeps probabilities only on the GEMMs (v3-v5) and without dropout");
        }
        forwardOnGemm(s, q, k, v, keyPadding, config, out, lse, probabilities, variant);
    }

    @Override
    public void forward(Tensor q, Tensor k, Tensor v, Tensor keyPadding, AttentionConfig config, Tensor out, Tensor lse) {
        Dims s = Dims.of(q, k, v);
        if (s.bh() == 0 || s.tq() == 0) {
            return;
        }
        String variant = variant(s, false);
        if (onGemm(variant)) {
            try (Tensor scores = kernels.scratch(DType.FLOAT32, s.b(), s.h(), s.tq(), s.tk())) {
                forwardOnGemm(s, q, k, v, keyPadding, config, out, lse, scores, variant);
            }
            return;
        }
        if (variant.equals("v2")) {
            Grid grid = Grid.of((s.tq() + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK, s.bh(), 1, ROWS_PER_BLOCK, 1);
            kernels.kernel(MODULE, "kmerl_attention_v2_fused_forward_d" + s.bound()).launch(grid,
                    DeviceKernels.concat(common(s, q, k, v, keyPadding, config), CudaStorage.at(out), CudaStorage.at(lse)));
            return;
        }
        int rows = s.bh() * s.tq();
        try (Tensor scores = kernels.scratch(DType.FLOAT32, rows, Math.max(1, s.tk()))) {
            kernels.kernel(MODULE, "kmerl_attention_v1_scores").launch(Grid.linear(rows * s.tk(), DeviceKernels.THREADS),
                    s.bh(), s.h(), s.tq(), s.tk(), s.d(), CudaStorage.at(q), CudaStorage.at(k),
                    CudaStorage.atOrNull(keyPadding), config.scale(), CudaStorage.at(scores));
            kernels.kernel(MODULE, "kmerl_attention_v1_softmax").launch(Grid.linear(rows, 128), rows, s.tk(),
                    CudaStorage.at(scores), CudaStorage.at(lse), config.dropout(), config.seed(), config.offset());
            kernels.kernel(MODULE, "kmerl_attention_v1_pv").launch(Grid.linear(rows * s.dv(), DeviceKernels.THREADS),
                    s.bh(), s.tq(), s.tk(), s.dv(), CudaStorage.at(scores), CudaStorage.at(v), CudaStorage.at(out));
        }
    }

    @Override
    public void backward(Tensor q, Tensor k, Tensor v, Tensor keyPadding, AttentionConfig config, Tensor out, Tensor lse,
                         Tensor probabilities, Tensor gradOut, Tensor gradQ, Tensor gradK, Tensor gradV) {
        Dims s = Dims.of(q, k, v);
        int rows = s.bh() * s.tq();
        if (rows == 0 || s.tk() == 0) {
            return;
        }
        try (Tensor drow = kernels.scratch(DType.FLOAT32, rows);
             Tensor vT = transposedOperand(v, variant(s, true));
             Tensor ds = kernels.scratch(DType.FLOAT32, s.b(), s.h(), s.tq(), s.tk())) {
            rowDot(s, gradOut, out, drow);
            boolean fused = matmul.launchFused(kernels.kernel(MODULE, "kmerl_attention_v4_dp_to_dscores_kept"), gradOut, vT,
                    ds, CudaStorage.at(probabilities), CudaStorage.at(ds), CudaStorage.at(drow), config.scale());
            if (!fused) {   // operands the warp-tiled loads do not take (a length not a multiple of 4)
                matmul.gemm(gradOut, vT, ds, null);
                kernels.kernel(MODULE, "kmerl_attention_v3_dscores_from_p").launch(
                        Grid.linear(rows * s.tk(), DeviceKernels.THREADS), rows, s.tk(), CudaStorage.at(probabilities),
                        CudaStorage.at(ds), CudaStorage.at(drow), config.scale());
            }
            gradientProducts(ds, probabilities, q, k, gradOut, gradQ, gradK, gradV, true);
        }
    }

    @Override
    public void backward(Tensor q, Tensor k, Tensor v, Tensor keyPadding, AttentionConfig config, Tensor out, Tensor lse,
                         Tensor gradOut, Tensor gradQ, Tensor gradK, Tensor gradV) {
        Dims s = Dims.of(q, k, v);
        int rows = s.bh() * s.tq();
        if (rows == 0 || s.tk() == 0) {
            return;
        }
        try (Tensor drow = kernels.scratch(DType.FLOAT32, rows)) {
            rowDot(s, gradOut, out, drow);
            String variant = variant(s, true);
            if (onGemm(variant)) {
                backwardOnGemm(s, q, k, v, keyPadding, config, lse, gradOut, drow, gradQ, gradK, gradV, variant);
                return;
            }
            if (variant.equals("v2")) {
                Object[] base = common(s, q, k, v, keyPadding, config);
                int rowsPerBlock = ROWS_PER_BLOCK / s.backwardSplit();
                kernels.kernel(MODULE, "kmerl_attention_v2_fused_dq_d" + s.bound()).launch(
                        Grid.of((s.tq() + rowsPerBlock - 1) / rowsPerBlock, s.bh(), 1, ROWS_PER_BLOCK, 1),
                        DeviceKernels.concat(base, CudaStorage.at(lse), CudaStorage.at(gradOut), CudaStorage.at(drow),
                                CudaStorage.at(gradQ)));
                kernels.kernel(MODULE, "kmerl_attention_v2_fused_dkdv_d" + s.bound()).launch(
                        Grid.of((s.tk() + rowsPerBlock - 1) / rowsPerBlock, s.bh(), 1, ROWS_PER_BLOCK, 1),
                        DeviceKernels.concat(base, CudaStorage.at(lse), CudaStorage.at(gradOut), CudaStorage.at(drow),
                                CudaStorage.at(gradK), CudaStorage.at(gradV)));
                return;
            }
            try (Tensor scores = kernels.scratch(DType.FLOAT32, rows, s.tk());
                 Tensor kept = kernels.scratch(DType.FLOAT32, rows, s.tk())) {
                int total = rows * s.tk();
                kernels.kernel(MODULE, "kmerl_attention_v1_scores").launch(Grid.linear(total, DeviceKernels.THREADS),
                        s.bh(), s.h(), s.tq(), s.tk(), s.d(), CudaStorage.at(q), CudaStorage.at(k),
                        CudaStorage.atOrNull(keyPadding), config.scale(), CudaStorage.at(scores));
                kernels.kernel(MODULE, "kmerl_attention_v1_dscores").launch(Grid.linear(total, DeviceKernels.THREADS),
                        s.bh(), s.tq(), s.tk(), s.dv(), CudaStorage.at(scores), CudaStorage.at(lse),
                        CudaStorage.at(gradOut), CudaStorage.at(v), CudaStorage.at(drow), config.dropout(),
                        config.seed(), config.offset(), config.scale(), CudaStorage.at(kept));
                kernels.kernel(MODULE, "kmerl_attention_v1_dv").launch(
                        Grid.linear(s.bh() * s.tk() * s.dv(), DeviceKernels.THREADS), s.bh(), s.tq(), s.tk(), s.dv(),
                        CudaStorage.at(kept), CudaStorage.at(gradOut), CudaStorage.at(gradV));
                kernels.kernel(MODULE, "kmerl_attention_v1_dq").launch(Grid.linear(rows * s.d(), DeviceKernels.THREADS),
                        s.bh(), s.tq(), s.tk(), s.d(), CudaStorage.at(scores), CudaStorage.at(k), CudaStorage.at(gradQ));
                kernels.kernel(MODULE, "kmerl_attention_v1_dk").launch(
                        Grid.linear(s.bh() * s.tk() * s.d(), DeviceKernels.THREADS), s.bh(), s.tq(), s.tk(), s.d(),
                        CudaStorage.at(scores), CudaStorage.at(q), CudaStorage.at(gradK));
            }
        }
    }

    // ------------------------------------------------------------------------------ v3 on the GEMMs

    /**
     * S = q·kᵀ (kᵀ as {@link #transposedOperand} gives it) into {@code scores}, softmax rows in place (P' = P·keep),
     * out = P'·v.
     */
    private void forwardOnGemm(Dims s, Tensor q, Tensor k, Tensor v, Tensor pad, AttentionConfig c, Tensor out, Tensor lse,
                               Tensor scores, String variant) {
        int rows = s.bh() * s.tq();
        try (Tensor kT = transposedOperand(k, variant)) {
            matmul.gemm(q, kT, scores, null);
            kernels.kernel(MODULE, "kmerl_attention_v3_softmax_rows").launch(Grid.warpsPerRow(rows, 4), rows, s.h(),
                    s.tq(), s.tk(), CudaStorage.at(scores), CudaStorage.atOrNull(pad), c.scale(), c.dropout(), c.seed(),
                    c.offset(), CudaStorage.at(lse));
            matmul.gemm(scores, v, out, null);
        }
    }

    /**
     * Recomputes S = q·kᵀ, gets dP = dO·vᵀ, turns both into dS and PK = P∘keep, then dQ += dS·k, dK += dSᵀ·q,
     * dV += PKᵀ·dO (the gradients may already hold values: they are added to). v3: dP through memory and one
     * elementwise kernel, dS in place of S and PK in place of dP; v4 and v5: dS and PK from the epilogue of
     * dO·vᵀ, dS into the second buffer and PK in place of S, and the gradients added to by the products themselves.
     */
    private void backwardOnGemm(Dims s, Tensor q, Tensor k, Tensor v, Tensor pad, AttentionConfig c, Tensor lse,
                                Tensor gradOut, Tensor drow, Tensor gradQ, Tensor gradK, Tensor gradV, String variant) {
        int rows = s.bh() * s.tq();
        boolean fused = keepsAndFuses(variant);
        try (Tensor kT = transposedOperand(k, variant); Tensor vT = transposedOperand(v, variant);
             Tensor scores = kernels.scratch(DType.FLOAT32, s.b(), s.h(), s.tq(), s.tk());
             Tensor second = kernels.scratch(DType.FLOAT32, s.b(), s.h(), s.tq(), s.tk())) {
            matmul.gemm(q, kT, scores, null);
            if (fused && matmul.launchFused(kernels.kernel(MODULE, "kmerl_attention_v4_dp_to_dscores"), gradOut, vT, second,
                    CudaStorage.at(scores), CudaStorage.at(second), CudaStorage.at(lse), CudaStorage.at(drow),
                    CudaStorage.atOrNull(pad), s.h(), s.tq(), c.scale(), c.dropout(), c.seed(), c.offset())) {
                gradientProducts(second, scores, q, k, gradOut, gradQ, gradK, gradV, true);
                return;
            }
            matmul.gemm(gradOut, vT, second, null);
            // dP is read before PK is written at the same index, so PK can reuse its buffer
            kernels.kernel(MODULE, "kmerl_attention_v3_dscores").launch(Grid.linear(rows * s.tk(), DeviceKernels.THREADS),
                    rows, s.h(), s.tq(), s.tk(), CudaStorage.at(scores), CudaStorage.at(second), CudaStorage.at(lse),
                    CudaStorage.at(drow), CudaStorage.atOrNull(pad), c.scale(), c.dropout(), c.seed(), c.offset(),
                    CudaStorage.at(second));
            gradientProducts(scores, second, q, k, gradOut, gradQ, gradK, gradV, fused);
        }
    }

    /** Drow = rowsum(dO ∘ O), the softmax backward's per-row term, for every variant's backward. */
    private void rowDot(Dims s, Tensor gradOut, Tensor out, Tensor drow) {
        int rows = s.bh() * s.tq();
        kernels.kernel(MODULE, "kmerl_attention_rowdot").launch(Grid.linear(rows, DeviceKernels.THREADS), rows, s.dv(),
                CudaStorage.at(gradOut), CudaStorage.at(out), CudaStorage.at(drow));
    }

    /**
     * The three products that end a v3/v4 backward: dQ += dS·k, dK += dSᵀ·q, dV += PKᵀ·dO; {@code inEpilogue}
     * (v4): the products add to the gradients themselves, else each goes to a scratch buffer and is added.
     */
    private void gradientProducts(Tensor ds, Tensor pk, Tensor q, Tensor k, Tensor gradOut, Tensor gradQ, Tensor gradK,
                                  Tensor gradV, boolean inEpilogue) {
        accumulate(ds, k, gradQ, inEpilogue);
        try (Tensor dsT = ds.transpose(2, 3); Tensor pkT = pk.transpose(2, 3)) {
            accumulate(dsT, q, gradK, inEpilogue);
            accumulate(pkT, gradOut, gradV, inEpilogue);
        }
    }

    /** grad += a·b. */
    private void accumulate(Tensor a, Tensor b, Tensor grad, boolean inEpilogue) {
        if (inEpilogue && grad.isContiguous()) {
            matmul.gemmAccumulate(a, b, grad);
            return;
        }
        try (Tensor product = kernels.scratch(DType.FLOAT32, grad.shape())) {
            matmul.gemm(a, b, product, null);
            grad.addInPlace(product);
        }
    }
}
