package org.kmerl.kernels;

import java.util.ArrayList;
import java.util.List;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.backend.Backend;
import org.kmerl.tensor.backend.BackendProvider;
import org.kmerl.tensor.backend.Probe;
import org.kmerl.kernels.runtime.PtxLibrary;

/**
 * Finds CUDA devices through JCuda's driver API (only the driver's {@code libcuda} is needed) and opens
 * the {@link CudaBackend} on one. A device is usable when the driver answers and this build carries
 * PTX kernels (nvcc was present when it was built).
 */
public final class CudaBackendProvider implements BackendProvider {

    @Override
    public Device.Kind kind() {
        return Device.Kind.CUDA;
    }

    @Override
    public Probe probe() {
        try {
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
            int[] version = new int[1];
            JCudaDriver.cuDriverGetVersion(version);
            int[] count = new int[1];
            JCudaDriver.cuDeviceGetCount(count);
            List<String> details = new ArrayList<>();
            details.add("driver API version " + version[0] / 1000 + "." + (version[0] % 1000) / 10);
            for (int i = 0; i < count[0]; i++) {
                CUdevice device = new CUdevice();
                JCudaDriver.cuDeviceGet(device, i);
                byte[] name = new byte[256];
                JCudaDriver.cuDeviceGetName(name, name.length, device);
                long[] bytes = new long[1];
                JCudaDriver.cuDeviceTotalMem(bytes, device);
                details.add("cuda:" + i + " " + cString(name) + ", " + bytes[0] / (1L << 20) + " MiB");
            }
            String missing = PtxLibrary.missingReason();
            if (missing != null) {
                details.add("no CUDA kernels in this build (" + missing + "): tensors run on the CPU");
                return new Probe(false, "CUDA driver found, " + count[0] + " device(s), no kernels", details);
            }
            return new Probe(count[0] > 0, "CUDA driver found, " + count[0] + " device(s)", details);
        } catch (Throwable t) {
            // UnsatisfiedLinkError when libcuda (or JCuda's native library) cannot be loaded,
            // CudaException when the driver is present but no device is usable.
            return new Probe(false, "no CUDA driver found", List.of(reason(t)));
        }
    }

    @Override
    public Backend open(int deviceIndex) {
        Probe probe = probe();
        if (!probe.usable()) {
            throw new IllegalStateException("cuda:" + deviceIndex + " cannot run tensors: " + probe.summary()
                    + " (" + String.join("; ", probe.details()) + ")");
        }
        return new CudaBackend(deviceIndex);
    }

    private static String reason(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        // JCuda's message nests every loading attempt; the useful part is whether libcuda is missing.
        if (message.contains("libcuda.so")) {
            return "the NVIDIA driver library libcuda.so.1 is not installed on this machine";
        }
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }

    private static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
