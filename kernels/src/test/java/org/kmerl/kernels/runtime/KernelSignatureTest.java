package org.kmerl.kernels.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Launch arguments against the PTX parameter lists; runs without a GPU (the PTX is text). */
class KernelSignatureTest {
    private static final String PTX = """
            .visible .entry kmerl_example(
            	.param .u32 kmerl_example_param_0,
            	.param .u64 kmerl_example_param_1,
            	.param .f32 kmerl_example_param_2,
            	.param .align 4 .b8 kmerl_example_param_3[12],
            	.param .u64 kmerl_example_param_4,
            	.param .f64 kmerl_example_param_5
            )
            .maxntid 128, 1, 1
            {
            	ret;
            }
            .visible .entry kmerl_none(
            )
            {
            	ret;
            }
            """;

    @Test
    void readsTypesSizesAndAlignments() {
        KernelSignature s = KernelSignature.parse(PTX, "kmerl_example");
        assertEquals(List.of(new KernelSignature.Param("u32", 4, 4), new KernelSignature.Param("u64", 8, 8),
                new KernelSignature.Param("f32", 4, 4), new KernelSignature.Param("b8", 12, 4),
                new KernelSignature.Param("u64", 8, 8), new KernelSignature.Param("f64", 8, 8)), s.params());
        assertEquals(0, KernelSignature.parse(PTX, "kmerl_none").params().size());
        assertThrows(IllegalArgumentException.class, () -> KernelSignature.parse(PTX, "kmerl_exam"));
    }

    @Test
    void acceptsMatchingArgumentsAndNamesTheFirstMismatch() {
        KernelSignature s = KernelSignature.parse(PTX, "kmerl_example");
        Struct three = Struct.ofInts(3).put(1).put(2).put(3);
        s.check(7, null, 0.5f, three, 9L, 2.0);
        s.check(true, new DevicePointer(), 0.5f, three, null, 2.0);
        String count = assertThrows(IllegalArgumentException.class, () -> s.check(7, null, 0.5f, three, 9L)).getMessage();
        assertTrue(count.contains("kmerl_example takes 6 arguments") && count.contains("passed 5"), count);
        String type = assertThrows(IllegalArgumentException.class, () -> s.check(7, null, 1, three, 9L, 2.0)).getMessage();
        assertTrue(type.contains("argument 2 is a Integer where the kernel takes .f32"), type);
        String struct = assertThrows(IllegalArgumentException.class,
                () -> s.check(7, null, 0.5f, Struct.ofInts(4).put(new int[] {1, 2, 3, 4}, 4), 9L, 2.0)).getMessage();
        assertTrue(struct.contains("argument 3 is a 16-byte struct") && struct.contains("12-byte struct"), struct);
        assertThrows(IllegalArgumentException.class, () -> s.check(7, 3, 0.5f, three, 9L, 2.0));
    }

    /**
     * Every kernel name the Java side launches (a whole literal, or a prefix completed at run time such as
     * {@code "kmerl_attention_v2_fused_forward_d" + bound}) is an entry of the built PTX, and every entry's
     * parameters parse.
     */
    @Test
    void everyLaunchedNameIsAnEntryOfTheBuiltPtx() throws IOException {
        Assumptions.assumeTrue(PtxLibrary.missingReason() == null, "no PTX in this build: " + PtxLibrary.missingReason());
        Path sources = Files.isDirectory(Path.of("src/main/java")) ? Path.of("src/main/java") : Path.of("kernels/src/main/java");
        Assumptions.assumeTrue(Files.isDirectory(sources), "the kernels module's sources are not beside this test run");
        List<String> entries = new ArrayList<>();
        for (String module : PtxLibrary.MODULES) {
            String ptx = PtxLibrary.ptxSource(module);
            for (String name : PtxEntries.names(ptx)) {
                entries.add(name);
                KernelSignature.parse(ptx, name);
            }
        }
        Pattern literal = Pattern.compile("\"(kmerl_\\w+)\"(\\s*\\+)?");
        List<String> missing = new ArrayList<>();
        int names = 0;
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = literal.matcher(Files.readString(file));
                while (m.find()) {
                    String name = m.group(1);
                    boolean prefix = m.group(2) != null;
                    names++;
                    if (entries.stream().noneMatch(e -> prefix ? e.startsWith(name) : e.equals(name))) {
                        missing.add(file.getFileName() + ": " + name + (prefix ? "..." : ""));
                    }
                }
            }
        }
        assertTrue(names > 50, "expected the launch sites' kernel names, found " + names);
        assertEquals(List.of(), missing, "kernel names launched from Java with no PTX entry");
    }
}
