package org.kmerl.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import org.kmerl.tensor.backend.Backend;
import org.kmerl.tensor.backend.BackendProvider;
import org.kmerl.tensor.cpu.CpuBackend;

/** Finds the backend for a device: the built-in CPU backend, or one found through {@link ServiceLoader}. */
public final class Backends {
    private static final Map<Device, Backend> OPEN = new ConcurrentHashMap<>();
    private static volatile List<BackendProvider> providers;

    private Backends() {
    }

    public static Backend cpu() {
        return CpuBackend.instance();
    }

    public static Backend get(Device device) {
        if (device.kind() == Device.Kind.CPU) {
            return cpu();
        }
        return OPEN.computeIfAbsent(device, d -> provider(d.kind()).open(d.index()));
    }

    /** Providers of non-CPU backends on the class path (none when the {@code kernels} module is absent). */
    public static synchronized List<BackendProvider> providers() {
        List<BackendProvider> p = providers;
        if (p == null) {
            List<BackendProvider> found = new ArrayList<>();
            ServiceLoader.load(BackendProvider.class).forEach(found::add);
            providers = p = List.copyOf(found);
        }
        return p;
    }

    /**
     * Adds a provider that is not declared as a service (an application's own backend, or a test
     * double). It takes precedence over service providers of the same kind.
     */
    public static synchronized void register(BackendProvider provider) {
        List<BackendProvider> all = new ArrayList<>();
        all.add(provider);
        all.addAll(providers());
        providers = List.copyOf(all);
        OPEN.keySet().removeIf(d -> d.kind() == provider.kind());
    }

    private static BackendProvider provider(Device.Kind kind) {
        for (BackendProvider p : providers()) {
            if (p.kind() == kind) {
                return p;
            }
        }
        throw new IllegalStateException("no " + kind + " backend on the class path"
                + " (the kmerl-kernels module provides CUDA)");
    }
}
