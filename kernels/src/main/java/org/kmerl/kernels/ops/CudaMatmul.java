package org.kmerl.kernels.ops;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.kmerl.kernels.runtime.CudaStorage;
import org.kmerl.kernels.runtime.CudaTimer;
import org.kmerl.kernels.runtime.Grid;
import org.kmerl.kernels.runtime.Kernel;
import org.kmerl.tensor.DType;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.MatmulKernels;
import org.kmerl.tensor.backend.ReduceOp;

/**
 * Batched matrix products (gemm.cu, and cuBLAS when it loads). Operands keep their strides: a transposed
 * operand costs nothing but slower loads in the strided variants; v4 takes row-major aligned operands,
 * v5 to v11 row- or column-major ones. Default: cuBLAS if present, else v10 (v5's warp tiling on 64x64
 * block tiles, the next k-tile's loads issued before this tile's FMAs, shared-memory tiles swizzled free of
 * bank conflicts) where the operand rules hold, else v3 for large and v2 for small products; with
 * {@link #TF32} asked for, v9 (tensor cores) where it applies. On an H200 v6 beat v5 on 7 of 8 shapes
 * measured, from [2880, 256, 256] (2.3x) to 4096³ (1.08x), and v7 beat v6 on all 5 shapes of the benchmark,
 * by 8-20%; on an H100 v10 beat v7 on all 5, by 1-11% (benchmarks/RESULTS.md, docs/kernels/cuda.md).
 *
 * <p>Split-K: a product with few output tiles and a long K (the weight gradient xᵀ·dy of a linear
 * layer: a [384, 384] output summed over 11,520 tokens makes 9 tiles for 132 SMs) leaves most of the
 * GPU idle. By default such a product runs as a batched product over K-chunks, views of the operands
 * with the chunk as a new leading batch axis, into a workspace of partial outputs that one reduction
 * then sums in a fixed order (deterministic, no atomics). {@code KMERL_GEMM_SPLIT_K=0} turns it off.
 *
 * <p>{@code KMERL_GEMM_TUNE=1}: where v10 is the default, each shape runs the fastest of the variants that give
 * v10's bits, timed once on the card ({@link GemmTuner}).
 */
public final class CudaMatmul implements MatmulKernels {
    private static final String MODULE = "gemm";
    private static final boolean SPLIT_K = !"0".equals(System.getenv("KMERL_GEMM_SPLIT_K"));
    /**
     * TF32 tensor cores (v9) for every product whose operands suit them, as PyTorch's
     * {@code torch.backends.cuda.matmul.allow_tf32 = True}: several times the FP32 rate, with inputs rounded to
     * 10 mantissa bits. Off unless {@code KMERL_TF32=1} or {@code -Dkmerl.tf32=true}.
     */
    static final boolean TF32 = "1".equals(System.getenv("KMERL_TF32")) || Boolean.getBoolean("kmerl.tf32");
    /** A K-chunk is at least this long, so the partial outputs cost less traffic than the chunk's products. */
    static final int MIN_CHUNK = 256;
    private final DeviceKernels kernels;
    private final CublasGemm cublas;

    private final CudaReductions reductions;
    private final GemmTuner tuner = new GemmTuner();

    /** A warp-tiled GEMM kernel (v5-v13, gemm_tiles.cuh): its entry point, block tile and threads per block. */
    private record WarpTiled(String kernel, int tile, int threads) {
        Grid grid(GemmProblem p) {
            return Grid.of(Grid.tiles(p.n(), tile), Grid.tiles(p.m(), tile), p.batch(), threads, 1);
        }

        void launch(DeviceKernels kernels, GemmProblem p, Object[] args) {
            kernels.kernel(MODULE, kernel).launch(grid(p), args);
        }
    }

    private static final Map<String, WarpTiled> WARP_TILED = Map.of(
            "v5", new WarpTiled("kmerl_gemm_v5_warp_tiled", 128, 128),
            "v6", new WarpTiled("kmerl_gemm_v6_small_tiles", 64, 128),
            "v7", new WarpTiled("kmerl_gemm_v7_prefetch", 64, 128),
            "v8", new WarpTiled("kmerl_gemm_v8_large_prefetch", 128, 128),
            "v9", new WarpTiled("kmerl_gemm_v9_tf32", 128, 256),
            "v10", new WarpTiled("kmerl_gemm_v10_swizzled", 64, 128),
            "v11", new WarpTiled("kmerl_gemm_v11_double_buffered", 64, 128),
            "v12", new WarpTiled("kmerl_gemm_v12_tf32_swizzled", 128, 256),
            "v13", new WarpTiled("kmerl_gemm_v13_tf32_double_buffered", 128, 256));

    public CudaMatmul(DeviceKernels kernels, CublasGemm cublas) {
        this.kernels = kernels;
        this.cublas = cublas;
        this.reductions = new CudaReductions(kernels);
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
        gemm(a, b, out, null);
    }

    @Override
    public void addmm(Tensor bias, Tensor a, Tensor b, Tensor out) {
        if (bias.isContiguous()) {
            gemm(a, b, out, bias);
        } else {
            try (Tensor dense = bias.contiguous()) {
                gemm(a, b, out, dense);
            }
        }
    }

    /** out = a·b (+ bias over columns); out dense. */
    void gemm(Tensor a, Tensor b, Tensor out, Tensor bias) {
        gemm(a, b, out, bias, false);
    }

    /**
     * out += a·b (out dense): the kernels add to the output in their epilogue (BLAS's beta = 1), so a
     * gradient needs neither a scratch product nor a pass to add it.
     */
    public void gemmAccumulate(Tensor a, Tensor b, Tensor out) {
        gemm(a, b, out, null, true);
    }

    private void gemm(Tensor a, Tensor b, Tensor out, Tensor bias, boolean accumulate) {
        CudaReductions.requireDense(out);
        GemmProblem p = GemmProblem.of(a, b, out);
        if (p.m() == 0 || p.n() == 0) {
            return;
        }
        if (p.k() == 0) {
            if (accumulate) {
                if (bias != null) {
                    out.addInPlace(bias);
                }
            } else if (bias == null) {
                out.fill(0f);
            } else {
                out.copyFrom(bias.broadcastTo("addmm", out.shape()));
            }
            return;
        }
        Optional<String> forced = kernels.registry().forced("gemm");
        String variant = forced.orElseGet(() -> defaultVariant(p));
        int splits = forced.isEmpty() && !variant.equals("v0") ? splitsFor(p) : 1;
        if (splits > 1) {
            splitK(a, b, out, bias, p, splits, accumulate);
            return;
        }
        launch(forced.isPresent() ? variant : tuned(variant, p, a, b, out), p, a, b, out, bias, accumulate);
    }

    /**
     * {@code variant}, or with {@link GemmTuner} on, the fastest of the variants that give v10's bits, measured once
     * per shape on this card.
     */
    private String tuned(String variant, GemmProblem p, Tensor a, Tensor b, Tensor out) {
        if (!variant.equals("v10") || !GemmTuner.enabled()) {
            return variant;
        }
        GemmTuner.Shape shape = new GemmTuner.Shape(p.m(), p.n(), p.k(), p.batch(), p.aLayout() == Major.COLUMN,
                p.bLayout() == Major.COLUMN);
        return tuner.choose(shape, v -> millisPerLaunch(v, p, a, b, out));
    }

    /** Device time of one launch of {@code variant} on this product, into a scratch output: a warm-up, then three timed. */
    private double millisPerLaunch(String variant, GemmProblem p, Tensor a, Tensor b, Tensor out) {
        int timed = 3;
        try (Tensor scratch = kernels.scratch(DType.FLOAT32, out.shape()); CudaTimer timer = new CudaTimer(kernels.context())) {
            launch(variant, p, a, b, scratch, null, false);
            timer.start();
            for (int i = 0; i < timed; i++) {
                launch(variant, p, a, b, scratch, null, false);
            }
            return timer.stopMillis() / timed;
        }
    }

    private void launch(String variant, GemmProblem p, Tensor a, Tensor b, Tensor out, Tensor bias, boolean accumulate) {
        if (variant.equals("v0")) {
            if (!cublas.available()) {
                throw new IllegalStateException("gemm=v0 (cuBLAS) was asked for, but " + cublas.reason());
            }
            cublas.gemm(p, a, b, out, bias, accumulate);
            return;
        }
        WarpTiled tiled = WARP_TILED.get(variant);
        if (variant.equals("v4") && !p.vectorizable() || tiled != null && !p.warpTileable()) {
            variant = "v3";   // the float4 variants' alignment rules do not hold for these operands
        }
        Object[] args = DeviceKernels.concat(p.operands(a, b), CudaStorage.at(out), CudaStorage.atOrNull(bias), accumulate,
                p.batchStruct());
        int batch = p.batch();
        switch (variant) {
            case "v1" -> kernels.kernel(MODULE, "kmerl_gemm_v1_naive")
                    .launch(Grid.of(Grid.tiles(p.n(), 16), Grid.tiles(p.m(), 16), batch, 16, 16), args);
            case "v2" -> kernels.kernel(MODULE, "kmerl_gemm_v2_smem_tiled")
                    .launch(Grid.of(Grid.tiles(p.n(), 32), Grid.tiles(p.m(), 32), batch, 32, 32), args);
            case "v3" -> kernels.kernel(MODULE, "kmerl_gemm_v3_register_tiled")
                    .launch(Grid.of(Grid.tiles(p.n(), 128), Grid.tiles(p.m(), 128), batch, 256, 1), args);
            case "v4" -> kernels.kernel(MODULE, "kmerl_gemm_v4_vectorized")
                    .launch(Grid.of(Grid.tiles(p.n(), 128), Grid.tiles(p.m(), 128), batch, 256, 1), args);
            default -> {
                if (tiled == null) {
                    throw new IllegalArgumentException("unknown gemm variant " + variant);
                }
                tiled.launch(kernels, p, DeviceKernels.concat(args, p.aLayout() == Major.COLUMN,
                        p.bLayout() == Major.COLUMN));
            }
        }
    }

    /**
     * Launches {@code kernel}, a kernel built on gemm_tiles.cuh's warp-tiled product with GEMM v10's 64x64 tiles
     * and its own epilogue (attention v4's dS), on a·b: the operands, their batch layout and orientation, then
     * {@code epilogueArgs}. {@code out} gives the product's shape and batch layout (the epilogue decides what is
     * written). Returns false, launching nothing, when the operands do not suit the warp-tiled loads; the caller
     * then takes its unfused way.
     */
    boolean launchFused(Kernel kernel, Tensor a, Tensor b, Tensor out, Object... epilogueArgs) {
        CudaReductions.requireDense(out);
        GemmProblem p = GemmProblem.of(a, b, out);
        if (!p.warpTileable() || p.m() == 0 || p.n() == 0) {
            return false;
        }
        Object[] args = DeviceKernels.concat(DeviceKernels.concat(p.operands(a, b), p.batchStruct(),
                p.aLayout() == Major.COLUMN, p.bLayout() == Major.COLUMN), epilogueArgs);
        kernel.launch(WARP_TILED.get("v10").grid(p), args);   // GEMM_FUSED_TILES: v10's tiling
        return true;
    }

    private String defaultVariant(GemmProblem p) {
        if (TF32 && p.warpTileable() && (long) p.m() * p.n() >= 64L * 64L) {
            return "v9";   // asked for; cuBLAS here runs strict FP32
        }
        if (cublas.available() && cublas.supports(p)) {
            return "v0";
        }
        if ((long) p.m() * p.n() < 64L * 64L) {
            return "v2";
        }
        return p.warpTileable() ? "v10" : "v3";
    }

    /**
     * How many K-chunks to split {@code p} into (chunks of at least MIN_CHUNK). Fewer tiles than SMs: enough
     * chunks for two waves. A few waves with a mostly idle last one (180 tiles on 132 SMs run as two waves
     * at 68%): the split, up to 4, that fills the waves best, when it beats the unsplit product by a fifth.
     */
    int splitsFor(GemmProblem p) {
        int most = p.k() / MIN_CHUNK;
        if (!SPLIT_K || most < 2) {
            return 1;
        }
        long tiles = (long) Grid.tiles(p.m(), 128) * Grid.tiles(p.n(), 128) * p.batch();
        int sms = kernels.context().multiprocessors();
        if (tiles < sms) {
            return (int) Math.min((2L * sms + tiles - 1) / tiles, most);
        }
        if (tiles > 4L * sms) {
            return 1;
        }
        int best = 1;
        for (int s = 2; s <= Math.min(4, most); s++) {
            if (waveFill(tiles * s, sms) > 1.2 * waveFill(tiles * best, sms)) {
                best = s;
            }
        }
        return best;
    }

    /** The share of SM slots busy when {@code blocks} run in whole waves of {@code sms}. */
    private static double waveFill(long blocks, int sms) {
        return (double) blocks / (((blocks + sms - 1) / sms) * sms);
    }

    /**
     * How K is cut: {@code full} chunks of {@code chunk} (a multiple of 16) in one batched launch, then
     * {@code rest} more as a launch of its own. The chunk is rounded down, so the rest is short (under
     * 16·splits): rounded up, the rest was nearly a chunk, run after the others on few blocks ([4096, 256] x
     * 4096 in 5: 4 x 832 and then 768 on 256 blocks, where 5 x 816 and then 16 keep the waves full).
     */
    record KChunks(int chunk, int full, int rest) {
        static KChunks of(int k, int splits) {
            int chunk = k / splits / 16 * 16;
            return new KChunks(chunk, splits, k - splits * chunk);
        }
    }

    /**
     * out = Σ_s a[..., :, K_s]·b[..., K_s, :] (+ bias): the equal chunks as one batched product (the
     * chunk index a new leading batch axis of strided views, so no operand is copied), a shorter last
     * chunk (if any) as one more product, then a sum over the chunk axis in chunk order.
     */
    private void splitK(Tensor a, Tensor b, Tensor out, Tensor bias, GemmProblem p, int splits, boolean accumulate) {
        int r = a.rank();
        KChunks cut = KChunks.of(p.k(), splits);
        int chunk = cut.chunk();
        int full = cut.full();
        int rest = cut.rest();
        int[] workShape = new int[r + 1];
        workShape[0] = full + (rest > 0 ? 1 : 0);
        System.arraycopy(out.shape(), 0, workShape, 1, r);
        try (Tensor work = Tensor.empty(out.dtype(), out.device(), workShape)) {
            try (Tensor aChunks = chunksFirst(a, r - 1, full, chunk); Tensor bChunks = chunksFirst(b, r - 2, full, chunk);
                 Tensor partials = work.narrow(0, 0, full)) {
                gemmNoSplit(aChunks, bChunks, partials);
            }
            if (rest > 0) {
                try (Tensor aRest = a.narrow(r - 1, full * chunk, rest); Tensor bRest = b.narrow(r - 2, full * chunk, rest);
                     Tensor last = work.select(0, full)) {
                    gemmNoSplit(aRest, bRest, last);
                }
            }
            boolean[] axes = new boolean[r + 1];
            axes[0] = true;
            if (accumulate) {
                try (Tensor sum = Tensor.empty(out.dtype(), out.device(), out.shape())) {
                    reductions.reduce(ReduceOp.SUM, work, axes, sum);
                    out.addInPlace(sum);
                }
            } else {
                reductions.reduce(ReduceOp.SUM, work, axes, out);
            }
        }
        if (bias != null) {
            out.addInPlace(bias);
        }
    }

    private void gemmNoSplit(Tensor a, Tensor b, Tensor out) {
        GemmProblem p = GemmProblem.of(a, b, out);
        launch(kernels.registry().forced("gemm").orElseGet(() -> tuned(defaultVariant(p), p, a, b, out)), p, a, b, out,
                null, false);
    }

    /** The first parts*chunk of {@code axis} viewed as [parts, chunk], the parts axis moved to the front (a view). */
    private static Tensor chunksFirst(Tensor t, int axis, int parts, int chunk) {
        int[] shape = new int[t.rank() + 1];
        for (int i = 0, j = 0; i < t.rank(); i++) {
            if (i == axis) {
                shape[j++] = parts;
                shape[j++] = chunk;
            } else {
                shape[j++] = t.dim(i);
            }
        }
        int[] order = new int[shape.length];
        order[0] = axis;
        for (int i = 0, j = 1; i < shape.length; i++) {
            if (i != axis) {
                order[j++] = i;
            }
        }
        try (Tensor head = t.narrow(axis, 0, parts * chunk); Tensor split = head.viewAs(shape)) {
            return split.permute(order);
        }
    }

    /** Sizes, strides and the batch layout of one product (batch axes merged where possible). */
    record GemmProblem(int m, int n, int k, int sam, int sak, int sbk, int sbn, Layout batchLayout, int aOffset,
                       int bOffset, int outOffset) {
        static GemmProblem of(Tensor a, Tensor b, Tensor out) {
            int r = a.rank();
            if (r < 2 || b.rank() != r || out.rank() != r) {
                throw new IllegalArgumentException("matmul operands must have the same rank >= 2, got "
                        + Arrays.toString(a.shape()) + ", " + Arrays.toString(b.shape()) + " -> " + Arrays.toString(out.shape()));
            }
            int[] batchShape = Arrays.copyOf(out.shape(), r - 2);
            Layout batch = Layout.of(batchShape,
                    new int[][] {Arrays.copyOf(a.strides(), r - 2), Arrays.copyOf(b.strides(), r - 2),
                            Arrays.copyOf(out.strides(), r - 2)}, new int[] {0, 0, 0});
            if (batch.numel() > 65_535) {
                throw new IllegalArgumentException("CUDA matmul takes at most 65535 matrices per call, got " + batch.numel());
            }
            return new GemmProblem(a.dim(r - 2), b.dim(r - 1), a.dim(r - 1), a.stride(r - 2), a.stride(r - 1),
                    b.stride(r - 2), b.stride(r - 1), batch, a.offset(), b.offset(), out.offset());
        }

        int batch() {
            return Math.max(1, batchLayout.numel());
        }

        /** The kernels' leading arguments (GEMM_OPERANDS in gemm_tiles.cuh): sizes, then each operand's base, offset, strides. */
        Object[] operands(Tensor a, Tensor b) {
            return new Object[] {m, n, k, CudaStorage.base(a), a.offset(), sam, sak, CudaStorage.base(b), b.offset(), sbk, sbn};
        }

        org.kmerl.kernels.runtime.Struct batchStruct() {
            return org.kmerl.kernels.runtime.Struct.ofInts(1 + 3 * Layout.MAX_RANK).put(batchLayout.rank())
                    .put(batchLayout.sizes(), Layout.MAX_RANK).put(batchLayout.operandStrides(0), Layout.MAX_RANK)
                    .put(batchLayout.operandStrides(1), Layout.MAX_RANK);
        }

        /** v4's conditions: row-major A and B, and every float4 16-byte aligned and wholly in or out of range. */
        boolean vectorizable() {
            return aLayout() == Major.ROW && bLayout() == Major.ROW;
        }

        /** v5's conditions: each operand row- or column-major with aligned float4s along its contiguous axis. */
        boolean warpTileable() {
            return aLayout() != Major.NONE && bLayout() != Major.NONE;
        }

        /** A (m, k): ROW when k is contiguous, COLUMN when m is, with the float4 rules of v4/v5. */
        Major aLayout() {
            return Major.of(sak, sam, k, m, aOffset, batchLayout.operandStrides(0));
        }

        /** B (k, n): ROW when n is contiguous, COLUMN when k is. */
        Major bLayout() {
            return Major.of(sbn, sbk, n, k, bOffset, batchLayout.operandStrides(1));
        }
    }

    /** Which axis of a matrix operand is contiguous, when float4 loads along it are aligned and never straddle its end. */
    enum Major {
        ROW, COLUMN, NONE;

        /** {@code inner}/{@code outer}: strides of the column/row index; {@code innerLength}/{@code outerLength}: their sizes. */
        static Major of(int inner, int outer, int innerLength, int outerLength, int offset, int[] batchStrides) {
            boolean aligned = offset % 4 == 0;
            for (int s : batchStrides) {
                aligned &= s % 4 == 0;
            }
            if (!aligned) {
                return NONE;
            }
            if (inner == 1 && outer % 4 == 0 && innerLength % 4 == 0) {
                return ROW;
            }
            if (outer == 1 && inner % 4 == 0 && outerLength % 4 == 0) {
                return COLUMN;
            }
            return NONE;
        }
    }
}
