package org.kmerl.benchmarks.gpu;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.kmerl.kernels.CudaBackend;
import org.kmerl.kernels.runtime.CudaTimer;
import org.kmerl.kernels.runtime.DevicePeak;
import org.kmerl.tensor.AttentionOps;
import org.kmerl.tensor.Backends;
import org.kmerl.tensor.DType;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.ElementwiseOps;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.LossOps;
import org.kmerl.tensor.MatmulOps;
import org.kmerl.tensor.NormOps;
import org.kmerl.tensor.OptimizerOps;
import org.kmerl.tensor.ReductionOps;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;
import org.kmerl.tensor.backend.AdamWStep;
import org.kmerl.tensor.backend.OptimizerKernels.AdamWOperands;
import org.kmerl.tensor.backend.AttentionConfig;
import org.kmerl.tensor.backend.BinaryOp;
import org.kmerl.tensor.backend.LossReduction;

/**
 * Times every CUDA kernel variant on the hot shapes of the model with CUDA events (device time, after
 * warm-up, including the Java launch path) and prints time, GFLOP/s or GB/s and % of the card's peak.
 * {@code benchmarks/gpu/torch_peer.py} measures PyTorch on the same shapes; {@code compare.py} joins the
 * two JSON-lines files into the ratio table of RESULTS.md.
 *
 * <p>Usage: {@code GpuKernelBench [out.jsonl [peers.jsonl]]}. Bytes count each input read and each output
 * written once.
 */
public final class GpuKernelBench {
    private final CudaBackend backend;
    private final DevicePeak peak;
    private final Generator random = new Generator(7);
    private final List<String> json = new ArrayList<>();
    /** Rows of other libraries measured here (cuDNN), joined with PyTorch's by compare.py. */
    private final List<String> peers = new ArrayList<>();

    private GpuKernelBench(CudaBackend backend) {
        this.backend = backend;
        this.peak = DevicePeak.of(backend.context().name());
    }

    public static void main(String[] args) throws IOException {
        Locale.setDefault(Locale.ROOT);
        CudaBackend backend = (CudaBackend) Backends.get(Device.cuda(0));
        GpuKernelBench bench = new GpuKernelBench(backend);
        System.out.println("# kmerl CUDA kernels on " + backend.describe());
        System.out.printf("%-12s %-22s %-4s %10s %14s %8s%n", "op", "shape", "var", "ms", "rate", "peak");
        bench.run();
        if (args.length > 0) {
            Files.write(Path.of(args[0]), bench.json, StandardCharsets.UTF_8);
        }
        if (args.length > 1) {
            Files.write(Path.of(args[1]), bench.peers, StandardCharsets.UTF_8);
        }
    }

    private Tensor normal(int... shape) {
        return random.normal(0f, 1f, Device.cuda(0), shape);
    }

    private void run() {
        for (int[] s : new int[][] {{4096, 4096, 4096}, {8192, 1536, 384}, {8192, 384, 1536}}) {
            Tensor a = normal(s[0], s[2]);
            Tensor b = normal(s[2], s[1]);
            for (String v : new String[] {"v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v10", "v11"}) {
                time("gemm", s[0] + "x" + s[1] + "x" + s[2], "gemm", v, 2.0 * s[0] * s[1] * s[2], 0,
                        () -> MatmulOps.matmul(a, b));
            }
        }
        // TF32 tensor cores (v9, v12, v13), rows of their own: the peer is torch.matmul with allow_tf32, and the FP32
        // rows and targets above stay FP32 against FP32. A row-major A is the operand whose transposing stores
        // v12 swizzles.
        for (int[] s : new int[][] {{4096, 4096, 4096}, {11_520, 768, 256}}) {
            Tensor a = normal(s[0], s[2]);
            Tensor b = normal(s[2], s[1]);
            for (String v : new String[] {"v9", "v12", "v13"}) {
                time("gemm_tf32", s[0] + "x" + s[1] + "x" + s[2], "gemm", v, 2.0 * s[0] * s[1] * s[2], 0,
                        () -> MatmulOps.matmul(a, b));
            }
        }
        // The K-MERL step's linear layers (11,520 tokens of width 256, MLP width 768): the warp-tiled variants only.
        for (int[] s : new int[][] {{11_520, 768, 256}, {11_520, 256, 768}}) {
            Tensor a = normal(s[0], s[2]);
            Tensor b = normal(s[2], s[1]);
            for (String v : new String[] {"v5", "v6", "v7", "v8", "v10", "v11"}) {
                time("gemm", s[0] + "x" + s[1] + "x" + s[2], "gemm", v, 2.0 * s[0] * s[1] * s[2], 0,
                        () -> MatmulOps.matmul(a, b));
            }
        }
        // The fixed cost of one op from Java (allocation, argument marshalling, the JNI launch): a 1-element add.
        Tensor one = normal(1);
        time("op_overhead", "1 element", null, "-", 0, 12, () -> ElementwiseOps.binary(BinaryOp.ADD, one, one));
        Tensor big = normal(1 << 24);
        time("copy", "64MB", null, "-", 0, 8.0 * (1 << 24), big::copy);   // device-to-device: the bandwidth yardstick
        int[][] softmaxShapes = {{8192, 1024}, {4096, 4096}, {98304, 1024}};
        for (int[] s : softmaxShapes) {
            Tensor x = normal(s);
            for (String v : new String[] {"v1", "v2", "v3", "v4", "v5"}) {
                if (v.equals("v1") && s[0] > 10_000 || v.equals("v5") && s[1] <= 1024) {
                    continue;   // minutes of thread-per-row; v5 is for rows too long for v4's warp
                }
                time("softmax", s[0] + "x" + s[1], "softmax", v, 0, 8.0 * s[0] * s[1], () -> NormOps.softmax(x, 1));
            }
        }
        cudnnSoftmax(softmaxShapes);
        for (int[] ln : new int[][] {{16384, 384}, {8192, 768}}) {
            int rows = ln[0];
            int c = ln[1];
            Tensor x = normal(rows, c);
            Tensor w = normal(c);
            Tensor bias = normal(c);
            Tensor gy = normal(rows, c);
            for (String v : new String[] {"v1", "v2", "v3"}) {
                time("layernorm", rows + "x" + c, "layernorm", v, 0, 8.0 * rows * c,
                        () -> NormOps.layerNorm(x, w, bias, 1e-5f).y());
                if (!v.equals("v3")) {   // v3 has no backward of its own
                    NormOps.LayerNormResult saved = NormOps.layerNorm(x, w, bias, 1e-5f);
                    time("layernorm_bw", rows + "x" + c, "layernorm", v, 0, 12.0 * rows * c,
                            () -> NormOps.layerNormBackward(gy, x, w, true, saved.mean(), saved.rstd()).x());
                }
            }
        }
        attentionStep();
        clipStep();
        for (int[] s : new int[][] {{32, 6, 256, 64}, {8, 6, 1024, 64}, {32, 4, 360, 64}}) {   // the last: K-MERL small
            Tensor q = normal(s);
            Tensor k = normal(s);
            Tensor vv = normal(s);
            Tensor go = normal(s);
            AttentionConfig cfg = AttentionConfig.noDropout((float) (1 / Math.sqrt(s[3])));
            double flops = 4.0 * s[0] * s[1] * s[2] * s[2] * s[3];
            String shape = s[0] + "x" + s[1] + "x" + s[2] + "x" + s[3];
            // v4 (the default) alone: its forward is v3's, its backward here the one without kept probabilities
            // (dS and P∘keep from the scores recomputed in dO·vᵀ's epilogue); kept ones: attention_fwd_bw.
            for (String v : new String[] {"v1", "v2", "v3", "v4", "v5"}) {
                time("attention", shape, "attention", v, flops, 0, () -> AttentionOps.forward(q, k, vv, null, cfg).out());
                AttentionOps.Result r = AttentionOps.forward(q, k, vv, null, cfg);
                // Backward counted as 2.5x the forward's FLOPs (the flash-attention convention).
                time("attention_bw", shape, "attention", v, 2.5 * flops, 0,
                        () -> AttentionOps.backward(q, k, vv, null, cfg, r.out(), r.lse(), go).q());
            }
        }
        int n = 1 << 24;
        Tensor ea = normal(n);
        Tensor eb = normal(n);
        for (String v : new String[] {"v1", "v2", "v3"}) {
            time("add", "16M", "elementwise", v, 0, 12.0 * n, () -> ElementwiseOps.binary(BinaryOp.ADD, ea, eb));
        }
        Tensor m = normal(4096, 4096);
        time("add_transposed", "4096x4096", null, "-", 0, 12.0 * 4096 * 4096,
                () -> ElementwiseOps.binary(BinaryOp.ADD, m, m.t()));
        for (String v : new String[] {"v2", "v4"}) {   // v1 (one thread for 16M elements) takes seconds
            time("sum_all", "16M", "reduce", v, 0, 4.0 * n, () -> ReductionOps.sum(ea, new int[] {0}, false));
        }
        for (String v : new String[] {"v1", "v3"}) {
            time("sum_rows", "16384x1024", "reduce", v, 0, 4.0 * (1 << 24),
                    () -> ReductionOps.sum(ea.reshape(16384, 1024), new int[] {1}, false));
        }
        modelLayouts();
        int p = 10_000_000;
        Tensor param = normal(p);
        Tensor grad = normal(p);
        Tensor m1 = Tensor.zeros(DType.FLOAT32, Device.cuda(0), p);
        Tensor m2 = Tensor.zeros(DType.FLOAT32, Device.cuda(0), p);
        AdamWStep step = new AdamWStep(1e-4f, 0.9f, 0.999f, 1e-8f, 0.01f, 1);
        time("adamw", "10M", null, "-", 0, 28.0 * p, () -> {
            OptimizerOps.adamw(param, grad, m1, m2, step);
            return null;
        });
        adamwModelParameters(step);
        // Host transfers of 64 MB from and into a Java float[], through the pinned staging buffer and directly.
        float[] host = new float[16 << 20];
        Tensor onDevice = normal(host.length);
        for (boolean pinned : new boolean[] {false, true}) {
            backend.memory().setPinnedTransfers(pinned);
            String v = pinned ? "pin" : "page";
            time("upload", "64MB", null, v, 0, 4.0 * host.length, () -> {
                backend.memory().upload(host);
                return null;
            });
            time("download", "64MB", null, v, 0, 4.0 * host.length, () -> {
                backend.memory().download(onDevice, host);
                return null;
            });
        }
        backend.memory().setPinnedTransfers(Boolean.getBoolean("kmerl.cuda.pinned"));
        Tensor logits = normal(8192, 1000);
        int[] t = new int[8192];
        for (int i = 0; i < t.length; i++) {
            t[i] = (i * 37) % 1000;
        }
        Tensor targets = Tensor.ofInts(t, 8192).to(Device.cuda(0));
        time("cross_entropy", "8192x1000", null, "-", 0, 4.0 * 8192 * 1000,
                () -> LossOps.crossEntropy(logits, targets, 0f, -100, LossReduction.MEAN).loss());
    }

    /**
     * The K-MERL step's layout ops (small preset, 12 leads: 11,520 tokens of width 256): contiguous() of a
     * head split and of a transposed matrix, bias-gradient column sums, and the tokenizer's index_add
     * (the backward of selecting 11,520 token rows from the [12*B*M, 256] table).
     */
    private void modelLayouts() {
        Tensor heads = normal(32, 360, 4, 64);
        double headBytes = 8.0 * heads.numel();
        for (String v : new String[] {"v1", "v2"}) {
            time("head_split_copy", "32x360x4x64", "copy", v, 0, headBytes, () -> heads.permute(0, 2, 1, 3).contiguous());
        }
        Tensor square = normal(4096, 4096);
        for (String v : new String[] {"v1", "v3"}) {
            time("transpose_copy", "4096x4096", "copy", v, 0, 8.0 * 4096 * 4096, () -> square.t().contiguous());
        }
        Tensor tokens = normal(11_520, 256);
        for (String v : new String[] {"v1", "v2", "v5"}) {
            time("sum_cols", "11520x256", "reduce", v, 0, 4.0 * tokens.numel(),
                    () -> ReductionOps.sum(tokens, new int[] {0}, false));
        }
        int[] rows = new int[11_520];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (int) ((i * 7919L) % rows.length);   // a permutation, like the tokenizer's layout index
        }
        Tensor index = Tensor.ofInts(rows, rows.length).to(Device.cuda(0));
        for (String v : new String[] {"v1", "v2"}) {
            time("index_add", "11520x256", "index_add", v, 0, 8.0 * tokens.numel() + 4.0 * rows.length,
                    () -> org.kmerl.tensor.IndexOps.indexAdd(new int[] {11_520, 256}, 0, index, tokens));
        }
    }

    private static void call(Supplier<Tensor> body) {
        try (TensorScope scope = TensorScope.open()) {
            body.get();
        }
    }

    /** The target case: forward and backward of fused attention at B=8, H=6, T=1200, D=64. */
    private void attentionStep() {
        int[] s = {8, 6, 1200, 64};
        Tensor q = normal(s);
        Tensor k = normal(s);
        Tensor v = normal(s);
        Tensor go = normal(s);
        AttentionConfig cfg = AttentionConfig.noDropout(0.125f);
        double flops = 3.5 * 4.0 * s[0] * s[1] * s[2] * s[2] * s[3];   // forward + backward (2.5x)
        // As a training step calls it: the forward may keep its probabilities for the backward (v4 does, and
        // its backward then skips q·kᵀ). auto: each direction's default variant.
        for (String variant : new String[] {"v2", "v3", "v4", "v5", "auto"}) {
            boolean forced = variant.startsWith("v");
            time("attention_fwd_bw", "8x6x1200x64", forced ? "attention" : null, variant, flops, 0, () -> {
                AttentionOps.Result r = AttentionOps.forward(q, k, v, null, cfg, true);
                return AttentionOps.backward(q, k, v, null, cfg, r, go).q();
            });
        }
    }

    /** The target case: the CLIP loss forward and backward (learnable temperature) at N=4096, D=256. */
    private void clipStep() {
        Tensor a = normal(4096, 256);
        Tensor b = normal(4096, 256);
        Tensor tau = Tensor.full(0.07f, Device.cuda(0));
        Tensor one = Tensor.full(1f, Device.cuda(0));
        double flops = 3 * 2.0 * 4096 * 4096 * 256;   // the three products
        for (String v : new String[] {"v1", "v2"}) {
            time("clip_fwd_bw", "4096x256", "clip_loss", v, flops, 0, () -> {
                LossOps.Result r = LossOps.clip(a, b, tau, LossReduction.MEAN);
                return LossOps.clipBackward(a, b, tau, LossReduction.MEAN, r, one, true).a();
            });
        }
    }

    /**
     * Warm-up (200 calls when a call takes under 1 ms, so the JIT has compiled the Java side of small
     * ops; 2 otherwise), then enough repetitions for about 20 ms (3 to 5,000), timed as one span of
     * CUDA events.
     */
    /**
     * AdamW and gradient clipping over a transformer's parameter list (12 layers of width 256: 144 tensors
     * from 256 to 262,144 elements, as torch_peer.py builds it): launches per step matter here as much as
     * bandwidth.
     */
    private void adamwModelParameters(AdamWStep step) {
        List<AdamWOperands> params = new ArrayList<>();
        long total = 0;
        for (int layer = 0; layer < 12; layer++) {
            for (int n : new int[] {256 * 768, 768, 256 * 256, 256, 256, 256, 256 * 1024, 1024, 1024 * 256, 256, 256, 256}) {
                params.add(new AdamWOperands(normal(n), normal(n), Tensor.zeros(DType.FLOAT32, Device.cuda(0), n),
                        Tensor.zeros(DType.FLOAT32, Device.cuda(0), n)));
                total += n;
            }
        }
        List<Tensor> grads = params.stream().map(AdamWOperands::grad).toList();
        Tensor one = Tensor.scalar(1f).to(Device.cuda(0));
        for (String v : new String[] {"v1", "v2"}) {
            time("adamw_params", "12x12 tensors", "adamw", v, 0, 28.0 * total, () -> {
                OptimizerOps.adamw(params, step);
                return null;
            });
            // clip_grad_norm_'s two passes (read; read and write) with a factor of 1, so the values stay put.
            time("clip_params", "12x12 tensors", "clip", v, 0, 12.0 * total, () -> {
                OptimizerOps.sumOfSquares(grads).close();
                OptimizerOps.scaleInPlace(grads, one);
                return null;
            });
        }
    }

    private void time(String op, String shape, String registryOp, String variant, double flops, double bytes,
                      Supplier<Tensor> body) {
        AutoCloseable forced = registryOp == null ? () -> { } : backend.registry().force(registryOp, variant);
        try (forced) {
            double ms = millis(body);
            double seconds = ms / 1e3;
            String rate = flops > 0 ? String.format("%.0f GFLOP/s", flops / seconds / 1e9)
                    : String.format("%.0f GB/s", bytes / seconds / 1e9);
            String pct = peak.percent(flops, bytes, seconds, op.endsWith("_tf32"));
            System.out.printf("%-12s %-22s %-4s %10.3f %14s %8s%n", op, shape, variant, ms, rate, pct);
            json.add(row(op, shape, "kmerl " + variant, ms, flops, bytes));
        } catch (RuntimeException e) {
            System.out.printf("%-12s %-22s %-4s FAILED: %s%n", op, shape, variant, e.getMessage());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String row(String op, String shape, String impl, double ms, double flops, double bytes) {
        return String.format("{\"op\":\"%s\",\"shape\":\"%s\",\"impl\":\"%s\",\"ms\":%.5f,\"flops\":%.6g,"
                + "\"bytes\":%.6g,\"device\":\"%s\"}", op, shape, impl, ms, flops, bytes, backend.context().name());
    }

    /** CUDA-event milliseconds per call of {@code body}, after the warm-up described at {@link #time}. */
    private double millis(Supplier<Tensor> body) {
        try (CudaTimer timer = new CudaTimer(backend.context())) {
            timer.start();
            call(body);
            int warmUp = timer.stopMillis() < 1 ? 200 : 2;
            timer.start();
            for (int i = 1; i < warmUp; i++) {
                call(body);
            }
            double perCall = timer.stopMillis() / (warmUp - 1);
            int reps = (int) Math.max(3, Math.min(5000, 20 / Math.max(perCall, 1e-3)));
            timer.start();
            for (int i = 0; i < reps; i++) {
                call(body);
            }
            return timer.stopMillis() / reps;
        }
    }

    /**
     * cuDNN 8's softmax on the softmax shapes, an extra peer where libcudnn.so.8 loads (its rows go to the
     * peer file, next to PyTorch's); elsewhere one line says why not.
     */
    private void cudnnSoftmax(int[][] shapes) {
        CudnnSoftmax.Result cudnn = CudnnSoftmax.open(backend.context());
        System.out.println("# softmax peer: " + cudnn.description());
        cudnn.softmax().ifPresent(softmax -> {
            try (softmax) {
                for (int[] s : shapes) {
                    Tensor x = normal(s);
                    Tensor out = Tensor.empty(DType.FLOAT32, Device.cuda(0), s);
                    double ms = millis(() -> {
                        softmax.forward(x, out);
                        return null;
                    });
                    System.out.printf("%-12s %-22s %-4s %10.3f%n", "softmax", s[0] + "x" + s[1], "cuDNN", ms);
                    peers.add(row("softmax", s[0] + "x" + s[1], "cudnn", ms, 0, 8.0 * s[0] * s[1]));
                }
            }
        });
    }
}
