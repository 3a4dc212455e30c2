package org.kmerl.tensor.cpu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kmerl.tensor.backend.AttentionKernels;
import org.kmerl.tensor.backend.ElementwiseKernels;
import org.kmerl.tensor.backend.LossKernels;
import org.kmerl.tensor.backend.NormalizationKernels;
import org.kmerl.tensor.backend.OptimizerKernels;
import org.kmerl.tensor.backend.ReductionKernels;

/**
 * The kernel variants of the CPU backend, llm.c-style: for each op the readable reference first,
 * then faster versions. The default is the last available one; the system property
 * {@code kmerl.cpu.kernels} (or the environment variable {@code KMERL_CPU_KERNELS}) picks others,
 * e.g. {@code -Dkmerl.cpu.kernels=gemm=reference}. Vector API variants are loaded by reflection, only
 * when the {@code jdk.incubator.vector} module is present, so the backend runs without it.
 */
public final class CpuVariants {
    /** One implementation of an op: a short name, the idea it adds, the implementation. */
    public record Variant<T>(String op, String name, String idea, T impl) {
    }

    private static final Map<String, String> REQUESTED = parseSelection();
    private static final Map<String, String> CHOSEN = new java.util.concurrent.ConcurrentSkipListMap<>();

    private CpuVariants() {
    }

    /** All variants of the GEMM, reference first. */
    public static List<Variant<Gemm>> gemms() {
        return pair("gemm", Gemm.class, Gemm.REFERENCE, "i-p-j loops over rows of B",
                "VectorGemm", "packed panels, 6 x 2-vector register tile, Vector API FMA");
    }

    public static List<Variant<ElementwiseKernels>> elementwise() {
        return pair("elementwise", ElementwiseKernels.class, new CpuElementwise(), "strided loops, math from the op enums",
                "VectorElementwise", "Vector API rows for dense and broadcast layouts, erfc-based GELU");
    }

    public static List<Variant<NormalizationKernels>> normalization() {
        return pair("normalization", NormalizationKernels.class, new CpuNormalization(),
                "double-precision row loops, any axis", "VectorNormalization",
                "Vector API rows (last axis), block partial sums for the layer-norm parameter gradients");
    }

    public static List<Variant<OptimizerKernels>> optimizers() {
        return pair("optimizers", OptimizerKernels.class, new CpuOptimizers(), "one scalar pass per parameter",
                "VectorOptimizers", "one Vector API pass per parameter");
    }

    public static List<Variant<AttentionKernels>> attention() {
        return pair("attention", AttentionKernels.class, new CpuAttention(), "one query row at a time in double",
                "VectorAttention", "FlashAttention-2 tiles: online softmax, no T x T matrix, tile products on the vector GEMM");
    }

    public static List<Variant<LossKernels>> losses() {
        return pair("losses", LossKernels.class, new CpuLosses(), "double-precision loops, the CLIP logits as double[][]",
                "VectorLosses", "CLIP: one vector-GEMM similarity matrix, vectorised log-sum-exps, dL in place");
    }

    public static List<Variant<ReductionKernels>> reductions() {
        return pair("reductions", ReductionKernels.class, new CpuReductions(), "strided walks summed in double",
                "VectorReductions", "vectors across columns or along rows of dense [P, R, C] layouts");
    }

    static Gemm gemm() {
        return select(gemms());
    }

    /** The reference and, when the Vector API is present, the vectorised class of this package. */
    private static <T> List<Variant<T>> pair(String op, Class<T> type, T reference, String referenceIdea,
                                             String vectorClass, String vectorIdea) {
        List<Variant<T>> out = new ArrayList<>();
        out.add(new Variant<>(op, "reference", referenceIdea, reference));
        T vector = loadVectorized(CpuVariants.class.getPackageName() + "." + vectorClass, type);
        if (vector != null) {
            out.add(new Variant<>(op, "vector", vectorIdea, vector));
        }
        return out;
    }

    /** The variant named by the selection setting, or the last (fastest) one. */
    static <T> T select(List<Variant<T>> variants) {
        String op = variants.get(0).op();
        String wanted = REQUESTED.get(op);
        Variant<T> chosen = null;
        if (wanted == null) {
            chosen = variants.get(variants.size() - 1);
        }
        for (Variant<T> v : variants) {
            if (v.name().equals(wanted)) {
                chosen = v;
            }
        }
        if (chosen == null) {
            List<String> names = variants.stream().map(Variant::name).toList();
            throw new IllegalArgumentException("kmerl.cpu.kernels: no variant '" + wanted + "' of " + op
                    + " (available here: " + names + ")");
        }
        CHOSEN.put(op, chosen.name());
        return chosen.impl();
    }

    /** The variant the CPU backend uses for each op, for {@code kmerl devices}. */
    public static Map<String, String> chosen() {
        return java.util.Collections.unmodifiableMap(CHOSEN);
    }

    private static <T> T loadVectorized(String className, Class<T> type) {
        if (!VectorSupport.available()) {
            return null;
        }
        try {
            return type.cast(Class.forName(className).getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load " + className, e);
        }
    }

    private static Map<String, String> parseSelection() {
        String value = System.getProperty("kmerl.cpu.kernels", System.getenv("KMERL_CPU_KERNELS"));
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null || value.isBlank()) {
            return out;
        }
        for (String item : value.split(",")) {
            String[] kv = item.trim().split("=");
            if (kv.length != 2) {
                throw new IllegalArgumentException("kmerl.cpu.kernels: expected op=variant items, got '" + item + "'");
            }
            out.put(kv[0].trim(), kv[1].trim());
        }
        return out;
    }
}
