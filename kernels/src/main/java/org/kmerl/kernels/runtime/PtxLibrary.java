package org.kmerl.kernels.runtime;

import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jcuda.CudaException;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;

/**
 * The PTX modules built from {@code kernels/src/main/cuda} and packaged under
 * {@code org/kmerl/kernels/ptx/}; loaded on first use (the driver JIT-compiles them for the card).
 */
public final class PtxLibrary {
    static final String RESOURCE_DIR = "/org/kmerl/kernels/ptx/";
    /** One module per .cu file in kernels/src/main/cuda. */
    public static final java.util.List<String> MODULES = java.util.List.of("attention", "elementwise", "gemm", "indexing",
            "loss", "memory", "normalization", "optimizer", "random", "reduction");

    private final CudaContext context;
    private final Map<String, CUmodule> modules = new ConcurrentHashMap<>();
    private final Map<String, Kernel> kernels = new ConcurrentHashMap<>();

    public PtxLibrary(CudaContext context) {
        this.context = context;
    }

    /** Null when this build carries kernels; otherwise why it does not (nvcc was missing at build time). */
    public static String missingReason() {
        if (PtxLibrary.class.getResource(RESOURCE_DIR + "elementwise.ptx") != null) {
            return null;
        }
        try (InputStream in = PtxLibrary.class.getResourceAsStream(RESOURCE_DIR + "NO_KERNELS")) {
            return in == null ? "no PTX resources on the class path" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "no PTX resources on the class path";
        }
    }

    /** The kernel {@code name} of module {@code module} (a .cu file name without extension). */
    public Kernel kernel(String module, String name) {
        return kernels.computeIfAbsent(module + "/" + name, key -> {
            CUfunction function = new CUfunction();
            try {
                cuModuleGetFunction(function, module(module), name);
            } catch (CudaException e) {
                throw new IllegalStateException("kernel " + name + " not found in " + module + ".ptx: " + e.getMessage(), e);
            }
            return new Kernel(name, function, context, KernelSignature.parse(ptxSource(module), name));
        });
    }

    private static final Map<String, String> SOURCES = new ConcurrentHashMap<>();

    /** The PTX text of a module (for {@code kmerl kernels ptx}, and each kernel's {@link KernelSignature}). */
    public static String ptxSource(String module) {
        return SOURCES.computeIfAbsent(module, m -> new String(read(m), StandardCharsets.UTF_8));
    }

    private CUmodule module(String name) {
        return modules.computeIfAbsent(name, n -> {
            context.bind();
            byte[] ptx = ptxSource(n).getBytes(StandardCharsets.UTF_8);
            byte[] terminated = Arrays.copyOf(ptx, ptx.length + 1);   // the driver expects a NUL-terminated image
            CUmodule module = new CUmodule();
            try {
                cuModuleLoadData(module, terminated);
            } catch (CudaException e) {
                throw new IllegalStateException("the driver rejected " + n + ".ptx (PTX from nvcc 13 needs driver >= 580): "
                        + e.getMessage(), e);
            }
            return module;
        });
    }

    private static byte[] read(String module) {
        try (InputStream in = PtxLibrary.class.getResourceAsStream(RESOURCE_DIR + module + ".ptx")) {
            if (in == null) {
                String why = missingReason();
                throw new IllegalArgumentException("no " + module + ".ptx in this build: " + (why != null ? why
                        : "the modules are " + String.join(", ", MODULES)));
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
