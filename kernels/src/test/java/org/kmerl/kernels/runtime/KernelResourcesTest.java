package org.kmerl.kernels.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each kernel costs the SM, from {@code ptxas -v} on the built PTX for sm_90 (the H100/H200), without a
 * GPU: a kernel that spills registers or copies a struct to a stack frame (as {@code strided_offset} once did,
 * which made every strided kernel 3x slower) fails here, and so does a tiled kernel whose registers would drop
 * it below the resident blocks per SM its timings were taken at. Skips when ptxas is not installed next to nvcc.
 */
class KernelResourcesTest {
    /** Kernels allowed a stack frame or spills, and why. */
    private static final Map<String, String> EXCUSED = Map.of(
            "kmerl_attention_v2_fused_forward_d128", "v2 holds a 128-float query row and accumulator per thread"
                    + " (255 registers, ~100 bytes spilled); never a default, and d=128 heads are rare",
            "kmerl_random_normal", "Box-Muller's cos in double (to match the CPU's Math.cos) has a stack frame for"
                    + " its slow argument reduction; no spills, and it runs once per initialisation");
    /** A kernel's threads per block and the resident blocks per SM its timings were taken at. */
    record Occupancy(int threads, int blocks) {
    }

    private static final Occupancy FIVE_OF_128 = new Occupancy(128, 5);
    private static final Occupancy TWO_OF_256 = new Occupancy(256, 2);
    /**
     * 128-thread kernels on GEMM v7's (and v10's) 64x64 tiles: at most 96 registers, so five blocks (20 warps) fit an
     * SM's 65,536 registers; the 256-thread TF32 kernels: at most 128, two blocks (a first v12 took 163 registers
     * for its swizzled fragment addresses, and one block).
     */
    private static final Map<String, Occupancy> OCCUPANCY = Map.of("kmerl_gemm_v7_prefetch", FIVE_OF_128,
            "kmerl_gemm_v10_swizzled", FIVE_OF_128, "kmerl_gemm_v11_double_buffered", FIVE_OF_128,
            "kmerl_attention_v4_dp_to_dscores", FIVE_OF_128, "kmerl_attention_v4_dp_to_dscores_kept", FIVE_OF_128,
            "kmerl_clip_v2_logits_stats", FIVE_OF_128, "kmerl_gemm_v9_tf32", TWO_OF_256,
            "kmerl_gemm_v12_tf32_swizzled", TWO_OF_256, "kmerl_gemm_v13_tf32_double_buffered", TWO_OF_256);
    private static final int REGISTERS_PER_SM = 65_536;
    private static final int SHARED_BYTES_PER_SM = 228 * 1024;

    record Resources(int registers, int stackBytes, int spillStores, int spillLoads, int sharedBytes) {
    }

    private static Map<String, Resources> kernels;

    @BeforeAll
    static void assemble(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(PtxLibrary.missingReason() == null, () -> "no PTX in this build: " + PtxLibrary.missingReason());
        Path ptxas = ptxas();
        Assumptions.assumeTrue(ptxas != null, "ptxas not found (CUDA_HOME/bin, PATH, /usr/local/cuda/bin)");
        List<Process> runs = new ArrayList<>();
        for (String module : PtxLibrary.MODULES) {   // one ptxas per module, all at once
            Path ptx = dir.resolve(module + ".ptx");
            Files.writeString(ptx, PtxLibrary.ptxSource(module));
            runs.add(new ProcessBuilder(ptxas.toString(), "-arch=sm_90", "-v", ptx.toString(), "-o",
                    dir.resolve(module + ".cubin").toString()).redirectErrorStream(true).start());
        }
        kernels = new LinkedHashMap<>();
        for (Process run : runs) {
            String log = new String(run.getInputStream().readAllBytes());
            assertEquals(0, run.waitFor(), log);
            kernels.putAll(parse(log));
        }
    }

    private static Path ptxas() {
        List<String> candidates = new ArrayList<>();
        String home = System.getenv("CUDA_HOME");
        if (home != null) {
            candidates.add(home + "/bin/ptxas");
        }
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            candidates.add(d + "/ptxas");
        }
        candidates.add("/usr/local/cuda/bin/ptxas");
        return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    }

    /** ptxas -v's lines per entry: "Compiling entry function 'name'", its stack and spills, then "Used N registers". */
    static Map<String, Resources> parse(String log) {
        Pattern entry = Pattern.compile("Compiling entry function '(\\w+)'");
        Pattern frame = Pattern.compile("(\\d+) bytes stack frame, (\\d+) bytes spill stores, (\\d+) bytes spill loads");
        Pattern used = Pattern.compile("Used (\\d+) registers(?:.*?(\\d+) bytes smem)?");
        Map<String, Resources> out = new LinkedHashMap<>();
        String name = null;
        int[] f = {0, 0, 0};
        for (String line : log.split("\n")) {
            Matcher m;
            if ((m = entry.matcher(line)).find()) {
                name = m.group(1);
                f = new int[] {0, 0, 0};
            } else if ((m = frame.matcher(line)).find()) {
                f = new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
            } else if ((m = used.matcher(line)).find() && name != null) {
                int smem = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
                out.put(name, new Resources(Integer.parseInt(m.group(1)), f[0], f[1], f[2], smem));
                name = null;
            }
        }
        return out;
    }

    @Test
    void everyEntryIsAccountedFor() {
        List<String> entries = new ArrayList<>();
        for (String module : PtxLibrary.MODULES) {
            entries.addAll(PtxEntries.names(PtxLibrary.ptxSource(module)));
        }
        assertEquals(entries.size(), kernels.size(), "ptxas reported " + kernels.keySet());
        for (String name : Stream.concat(EXCUSED.keySet().stream(), OCCUPANCY.keySet().stream()).toList()) {
            assertTrue(kernels.containsKey(name), name + " is named here but is no kernel any more");
        }
    }

    @Test
    void noKernelSpillsOrKeepsAStackFrame() {
        List<String> bad = new ArrayList<>();
        kernels.forEach((name, r) -> {
            if (!EXCUSED.containsKey(name) && (r.stackBytes() > 0 || r.spillStores() > 0 || r.spillLoads() > 0)) {
                bad.add(name + ": " + r);
            }
        });
        assertEquals(List.of(), bad, "kernels with a stack frame or spills on sm_90 (ptxas -v)");
    }

    @Test
    void tiledKernelsKeepTheirOccupancy() {
        for (Map.Entry<String, Occupancy> e : OCCUPANCY.entrySet()) {
            String name = e.getKey();
            Occupancy want = e.getValue();
            Resources r = kernels.get(name);
            int perWarp = (r.registers() * 32 + 255) / 256 * 256;   // registers are allocated per warp, 256 at a time
            int byRegisters = REGISTERS_PER_SM / (perWarp * (want.threads() / 32));
            int byShared = r.sharedBytes() == 0 ? Integer.MAX_VALUE : SHARED_BYTES_PER_SM / (r.sharedBytes() + 1024);
            assertTrue(Math.min(byRegisters, byShared) >= want.blocks(), name + ": " + r + " leaves room for "
                    + Math.min(byRegisters, byShared) + " blocks of " + want.threads() + " threads per SM, not "
                    + want.blocks());
        }
    }

    @Test
    void readsPtxasOutput() {
        String log = """
                ptxas info    : Compiling entry function 'kmerl_a' for 'sm_90'
                ptxas info    : Function properties for kmerl_a
                    8 bytes stack frame, 4 bytes spill stores, 4 bytes spill loads
                ptxas info    : Used 40 registers, used 1 barriers, 8192 bytes smem
                ptxas info    : Compiling entry function 'kmerl_b' for 'sm_90'
                ptxas info    : Function properties for kmerl_b
                    0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
                ptxas info    : Used 12 registers
                """;
        assertEquals(Map.of("kmerl_a", new Resources(40, 8, 4, 4, 8192), "kmerl_b", new Resources(12, 0, 0, 0, 0)),
                parse(log));
    }
}
