package org.kmerl.kernels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kernel variants of the CUDA backend, llm.c style: each op has versions from naive to fast, each
 * with a one-line idea. By default every op picks its fastest variant that supports the call's shapes;
 * a variant can be forced per op with the system property {@code kmerl.kernels} or the environment
 * variable {@code KMERL_KERNELS} ({@code "gemm=v3,layernorm=v1"}), or from code with {@link #force}.
 */
public final class KernelRegistry {
    /**
     * One version of an op; {@code tf32}: it rounds its inputs to TF32 (10 mantissa bits) for the tensor cores,
     * so it is never a default unless asked for ({@code KMERL_TF32=1}) and is checked with a looser tolerance.
     */
    public record Variant(String op, String name, String idea, boolean tf32) {
    }

    private final Map<String, List<Variant>> variants = new LinkedHashMap<>();
    private final Map<String, String> forced = new ConcurrentHashMap<>();

    public KernelRegistry() {
        add("gemm", "v0", "cuBLAS SGEMM (strided batched) through JCublas, when libcublas.so.12 loads");
        add("gemm", "v1", "naive: one thread per output, the K loop straight from global memory");
        add("gemm", "v2", "shared-memory tiling: 32x32 tiles of A and B staged in shared memory");
        add("gemm", "v3", "2-D register tiling: 128x128 block tile, 8x8 outputs per thread from registers");
        add("gemm", "v4", "v3 with float4 global and shared-memory loads (row-major, 16-byte-aligned operands)");
        add("gemm", "v5", "warp tiling: a warp owns a 64x64 sub-tile, each thread 8x16 outputs; row- or column-major operands");
        add("gemm", "v6", "v5's warp tiling on 64x64 block tiles: 4x the blocks for products with few 128x128 tiles");
        add("gemm", "v7", "v6 with register prefetch: the next k-tile's global loads in flight during this tile's FMAs");
        add("gemm", "v8", "v5's 128x128 tiles with v7's prefetch, for large products (H100: within 1% of v10"
                + " at 4096³, slower elsewhere)");
        variants.get("gemm").add(new Variant("gemm", "v9", "TF32 tensor cores (mma.sync m16n8k8), 128x128 tiles of"
                + " 8 warps, FP32 accumulation; inputs keep 10 mantissa bits: opt-in (KMERL_TF32=1)", true));
        add("gemm", "v10", "v7 with swizzled shared-memory tiles: the transposing stores of a row-major A or a"
                + " column-major B free of bank conflicts; the default (H100: 1-11% faster than v7 on every shape"
                + " measured)");
        add("gemm", "v11", "v10 with two shared-memory buffers: the prefetched k-tile stored into the other one after"
                + " this tile's FMAs, one barrier per k-tile (H100: between v7 and v10 on most shapes)");
        variants.get("gemm").add(new Variant("gemm", "v12", "v9 with v10's swizzled shared-memory tiles (its padded rows"
                + " left the transposing stores 4-way conflicted); v9's bits; opt-in as v9 (not yet measured on a GPU)",
                true));
        variants.get("gemm").add(new Variant("gemm", "v13", "v12 with two shared-memory buffers, one barrier per k-tile"
                + " (2 blocks of 256 threads per SM hide a barrier less than v10's 5 of 128); v9's bits; opt-in as v9"
                + " (not yet measured on a GPU)", true));
        add("elementwise", "v1", "strided: any layout, an index decomposed per element and operand");
        add("elementwise", "v2", "dense: one flat index for every operand");
        add("elementwise", "v3", "dense float4: 128-bit loads and stores when every operand is 16-byte aligned");
        add("reduce", "v1", "thread per output: each thread sums its reduced elements in order");
        add("reduce", "v2", "block per output: 256 threads stride over the elements, then a fixed shared-memory tree");
        add("reduce", "v3", "warp per output: 32 lanes read a contiguous reduced axis coalesced, shuffle sums");
        add("reduce", "v4", "split: chunks of each output reduced by separate blocks into partials, then a second pass");
        add("reduce", "v5", "columns: the innermost kept axis unit-stride, 32 adjacent outputs per warp (coalesced), the reduced"
                + " elements split over blocks into partials in a fixed order, then v1 over the partials");
        add("copy", "v1", "strided: any layout and float/int conversion, offsets decomposed per element and tensor");
        add("copy", "v2", "rows: a group of lanes per row, int4 when aligned, when the last axis is unit-stride on both"
                + " sides (head splits)");
        add("copy", "v3", "tiles: 32x32 transpose through shared memory when the source's unit-stride axis is not"
                + " the destination's");
        add("index_add", "v1", "thread per line: each thread walks its line's positions in order (no atomics)");
        add("index_add", "v2", "line x destination range: P threads per line; a block compacts each chunk of the index"
                + " to the positions in its range (ballots), then adds those in order (v1's sums, P times the threads)");
        add("softmax", "v1", "thread per row: max, sum of exponentials and the output in three passes");
        add("softmax", "v2", "warp per row: online (max, sum) per lane merged by shuffles, two passes over the row");
        add("softmax", "v3", "block per row: 256 threads per long row, online states merged through shared memory");
        add("softmax", "v4", "register rows: warp per row held in registers (float4 loads), one read and one write"
                + " per element (C % 4 == 0, C <= 1024)");
        add("softmax", "v5", "block register rows: 256 threads hold one long row (C % 4 == 0, C <= 8192), one read,"
                + " one write and one exp per element, max and sum through shared memory (not yet measured on a GPU)");
        add("layernorm", "v1", "thread per row: mean and variance in two passes, then the affine output");
        add("layernorm", "v2", "warp per row: the same two passes with 32 lanes per row and shuffle sums");
        add("layernorm", "v3", "register rows: warp per row held in registers (float4 loads), both passes from"
                + " registers (C % 4 == 0, C <= 1024; backward: v2)");
        add("attention", "v1", "materialised: scores and probabilities as [B*H, Tq, Tk] buffers, a kernel per step");
        add("attention", "v2", "fused: thread per query (key) row, K/V (Q/dO) tiles in shared memory, online softmax,"
                + " no [Tq, Tk] buffer, no atomics");
        add("attention", "v3", "on the GEMMs (llm.c's way): q·kᵀ, P·v and the backward products through the fast GEMM,"
                + " a warp-per-row masked softmax and an elementwise dS in between ([B*H, Tq, Tk] buffers)");
        add("attention", "v4", "v3 with fewer passes: P kept for the backward (no dropout), dS in the epilogue of dO·vᵀ"
                + " (dP never stored), gradients added to in the products' epilogues; the default");
        add("attention", "v5", "v4 reading kᵀ and vᵀ as transposed views (a column-major B, which GEMM v10 stages free of"
                + " bank conflicts) instead of copying them dense first (not yet measured on a GPU)");
        add("adamw", "v1", "one launch per parameter: a grid-stride pass over p, g, m and v");
        add("adamw", "v2", "multi-tensor: up to 32 parameters of similar size per launch, their pointers passed by"
                + " value; the default");
        add("clip", "v1", "composed: per gradient a square, a sum and an add for the norm, then a multiply");
        add("clip", "v2", "multi-tensor: block sums of squares for up to 32 gradients per launch, one reduction of"
                + " all partials, one scaling launch per 32 gradients; the default");
        add("clip_loss", "v1", "composed: the logits product, then a warp-per-row pass (scaling by 1/τ in place, the rows'"
                + " log-sum-exps) and two passes for the columns'");
        add("clip_loss", "v2", "statistics in the product's epilogue: each 64x64 logits tile scaled and its rows' and"
                + " columns' (max, sum of exp) written as partials, one merge pass; the logits never read back;"
                + " the default");
        String config = System.getProperty("kmerl.kernels", System.getenv("KMERL_KERNELS"));
        if (config != null && !config.isBlank()) {
            for (String item : config.split(",")) {
                String[] kv = item.trim().split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("kernel selection '" + item + "' is not op=variant (e.g. gemm=v3)");
                }
                force(kv[0].trim(), kv[1].trim());
            }
        }
    }

    private void add(String op, String name, String idea) {
        variants.computeIfAbsent(op, o -> new ArrayList<>()).add(new Variant(op, name, idea, false));
    }

    /** Every variant of every op, in order. */
    public List<Variant> all() {
        List<Variant> all = new ArrayList<>();
        variants.values().forEach(all::addAll);
        return all;
    }

    public List<Variant> variants(String op) {
        List<Variant> list = variants.get(op);
        if (list == null) {
            throw new IllegalArgumentException("unknown kernel op '" + op + "'; ops with variants: " + variants.keySet());
        }
        return List.copyOf(list);
    }

    /** Forces {@code op} to run {@code variant} until {@link #clear}; returns a handle that restores the default. */
    public AutoCloseable force(String op, String variant) {
        boolean known = variants(op).stream().anyMatch(v -> v.name().equals(variant));
        if (!known) {
            throw new IllegalArgumentException("op '" + op + "' has no variant '" + variant + "'; it has "
                    + variants(op).stream().map(Variant::name).toList());
        }
        String previous = forced.put(op, variant);
        return () -> {
            if (previous == null) {
                forced.remove(op);
            } else {
                forced.put(op, previous);
            }
        };
    }

    public void clear(String op) {
        forced.remove(op);
    }

    /** The variant forced for {@code op}, if any. */
    public Optional<String> forced(String op) {
        return Optional.ofNullable(forced.get(op));
    }
}
