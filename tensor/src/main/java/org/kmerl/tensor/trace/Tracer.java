package org.kmerl.tensor.trace;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.Backend;
import org.kmerl.tensor.backend.DeviceClock;
import org.kmerl.tensor.io.AtomicFiles;

/**
 * An op-level profiler. While one is active ({@link #start}), every kernel call a tensor makes through
 * its backend is timed and recorded with the shapes of its tensor arguments, the bytes they span and,
 * for products and attention, the FLOPs. On a GPU a span lasts the device time between two CUDA events
 * around the call ({@link Backend#newDeviceClock}), waited for before the next op: the host's
 * synchronisation stays out of it, the GPU's wait for each launch does not; it starts at the call's host time.
 * An op that a kernel family calls while running another (attention's copy of kᵀ into a dense tensor) is part
 * of its caller's span and not recorded itself: a nested span would restart the thread's device clock and cut
 * its caller's short, and the summary would count its time twice. Its kernels still appear on the kernel track.
 * {@link #writeChromeTrace} writes the spans as Chrome trace events (Perfetto, chrome://tracing); {@link #summary}
 * tabulates them per op.
 *
 * <p>The backend is wrapped by a {@link Proxy} per kernel family, so no op and no kernel knows about
 * tracing; when no tracer is active, {@link Tensor#backend()} pays one volatile read.
 */
public final class Tracer {
    /**
     * One call: op name ("matmul.addmm"), device, thread, start and duration in ns, shapes, bytes, FLOPs, and the
     * device time of the GPU kernels it launched as the kernel track timed them (0 where none were timed: the CPU,
     * a driver copy, cuBLAS).
     */
    public record Span(String name, String device, long thread, long startNanos, long durationNanos, String shapes,
                       long bytes, double flops, long kernelNanos) {
    }

    private static volatile Tracer active;
    private static final String KERNEL_PREFIX = "kernel.";
    private static final String KERNEL_TRACK = " kernels";

    private final long origin = System.nanoTime();
    private final List<Span> spans = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<Backend, Backend> wrapped = new ConcurrentHashMap<>();
    /** Device name -> the backend traced there, asked for its peaks when the summary is made (the CPU measures one). */
    private final Map<String, Backend> backends = new ConcurrentHashMap<>();
    /** "device thread" -> that thread's device clock (empty where the backend has none), closed by {@link #stop}. */
    private final Map<String, Optional<DeviceClock>> clocks = new ConcurrentHashMap<>();
    /** The traced op this thread is running, if any: ops it calls run untraced, its kernels' device time adds up. */
    private final ThreadLocal<OpFrame> current = ThreadLocal.withInitial(OpFrame::new);

    private static final class OpFrame {
        boolean busy;
        long kernelNanos;
    }

    private Tracer() {
    }

    /** Starts recording (replacing any tracer already active) and returns the new tracer. */
    public static Tracer start() {
        Tracer t = new Tracer();
        active = t;
        return t;
    }

    /** Stops recording and releases the device clocks; the spans stay readable. */
    public void stop() {
        if (active == this) {
            active = null;
        }
        clocks.values().forEach(c -> c.ifPresent(DeviceClock::close));
        clocks.clear();
    }

    public static boolean isActive() {
        return active != null;
    }

    /** {@code backend} with every kernel call recorded by the active tracer (itself when none is active). */
    public static Backend traced(Backend backend) {
        Tracer t = active;
        return t == null ? backend : t.wrapped.computeIfAbsent(backend, t::wrap);
    }

    /**
     * Records one GPU kernel launch timed elsewhere (CUDA events, {@code KernelProfile}) on the active
     * tracer, if any: a span named "kernel.ENTRY_POINT" on the device's kernel track ("cuda:0 kernels"),
     * starting at {@code hostStartNanos} ({@link System#nanoTime}) and lasting its device time. Kernel spans
     * go into the Chrome trace, not into the per-op summary (their op's span already counts them).
     */
    public static void recordKernel(String kernel, String device, long hostStartNanos, long deviceNanos, String launch) {
        Tracer t = active;
        if (t != null) {
            t.spans.add(new Span(KERNEL_PREFIX + kernel, device + KERNEL_TRACK, Thread.currentThread().getId(),
                    hostStartNanos - t.origin, deviceNanos, launch, 0, 0, 0));
            OpFrame op = t.current.get();
            if (op.busy) {
                op.kernelNanos += deviceNanos;
            }
        }
    }

    private static boolean isKernel(Span s) {
        return s.name().startsWith(KERNEL_PREFIX);
    }

    public List<Span> spans() {
        synchronized (spans) {
            return List.copyOf(spans);
        }
    }

    private Backend wrap(Backend backend) {
        backends.put(backend.device().toString(), backend);
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    Object family = invoke(backend, method, args);
                    Class<?> type = method.getReturnType();
                    if (type.isInterface() && type.getName().endsWith("Kernels") && family != null) {
                        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                                timing(backend, family, familyName(type)));
                    }
                    return family;
                });
    }

    /** "MatmulKernels" -> "matmul". */
    private static String familyName(Class<?> type) {
        String n = type.getSimpleName().replace("Kernels", "");
        return Character.toLowerCase(n.charAt(0)) + n.substring(1);
    }

    private InvocationHandler timing(Backend backend, Object family, String familyName) {
        return (proxy, method, args) -> {
            OpFrame frame = current.get();
            if (method.getDeclaringClass() == Object.class || method.getReturnType() == boolean.class || frame.busy) {
                // Object's methods and queries (what a family accepts) are not ops; an op inside an op is its caller's
                return invoke(family, method, args);
            }
            frame.busy = true;
            frame.kernelNanos = 0;
            try {
                return timed(backend, family, familyName + "." + method.getName(), method, args, frame);
            } finally {
                frame.busy = false;
            }
        };
    }

    /** Runs one op and records its span: device time where the backend has a clock, else host time after a sync. */
    private Object timed(Backend backend, Object family, String op, Method method, Object[] args, OpFrame frame)
            throws Throwable {
        String device = backend.device().toString();
        Optional<DeviceClock> clock = clocks.computeIfAbsent(device + " " + Thread.currentThread().getId(),
                k -> backend.newDeviceClock());
        long t0 = System.nanoTime();
        clock.ifPresent(DeviceClock::start);
        Object result = invoke(family, method, args);
        long t1;
        if (clock.isPresent()) {
            t1 = t0 + Math.round(clock.get().stopMillis() * 1e6);
        } else {
            if (backend.device().kind() != Device.Kind.CPU) {
                backend.synchronize();
            }
            t1 = System.nanoTime();
        }
        Shapes s = Shapes.of(args);
        spans.add(new Span(op, device, Thread.currentThread().getId(), t0 - origin, t1 - t0, s.text(), s.bytes(),
                flops(op, args), frame.kernelNanos));
        return result;
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * Shapes of the tensor arguments and the bytes they span (each read or written once). Tensors in a
     * list argument (the optimizers' many-parameter calls, whose entries may be records of tensors)
     * count towards the bytes; the shapes text then says how many tensors the list held.
     */
    record Shapes(String text, long bytes) {
        static Shapes of(Object[] args) {
            StringBuilder sb = new StringBuilder();
            long bytes = 0;
            if (args != null) {
                for (Object a : args) {
                    if (a instanceof Tensor t) {
                        sb.append(sb.length() == 0 ? "" : " ").append(java.util.Arrays.toString(t.shape()).replace(" ", ""));
                        bytes += (long) t.numel() * 4;
                    } else if (a instanceof java.util.Collection<?> list) {
                        List<Tensor> tensors = new ArrayList<>();
                        list.forEach(e -> collect(e, tensors));
                        sb.append(sb.length() == 0 ? "" : " ").append(tensors.size()).append(" tensors");
                        bytes += tensors.stream().mapToLong(t -> (long) t.numel() * 4).sum();
                    }
                }
            }
            return new Shapes(sb.toString(), bytes);
        }

        private static void collect(Object o, List<Tensor> into) {
            if (o instanceof Tensor t) {
                into.add(t);
            } else if (o instanceof Record r) {
                for (var c : r.getClass().getRecordComponents()) {
                    try {
                        collect(c.getAccessor().invoke(r), into);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass(), e);
                    }
                }
            }
        }
    }

    /**
     * The matrix-product FLOPs of a call: 2·M·N·K for products; for attention 4·B·H·Tq·Tk·D forward (two
     * products) and 2.5 times that backward (five); 0 for everything else, which is bound by memory.
     */
    static double flops(String op, Object[] args) {
        switch (op) {
            case "matmul.matmul", "matmul.addmm" -> {
                Tensor a = (Tensor) args[args.length - 3];
                Tensor out = (Tensor) args[args.length - 1];
                return 2.0 * out.numel() * a.dim(a.rank() - 1);
            }
            case "attention.forward", "attention.backward" -> {
                Tensor q = (Tensor) args[0];
                Tensor k = (Tensor) args[1];
                double forward = 4.0 * q.numel() * k.dim(k.rank() - 2);
                return op.endsWith("forward") ? forward : 2.5 * forward;
            }
            default -> {
                return 0;
            }
        }
    }

    /**
     * Writes the spans as Chrome trace events ("X" complete events, microseconds). Each device is a
     * process with an integer id, named by a "process_name" metadata event, as the Trace Event Format
     * asks (Perfetto and chrome://tracing accept string ids, other viewers such as speedscope do not).
     */
    public void writeChromeTrace(Path file) throws IOException {
        StringBuilder json = new StringBuilder("{\"displayTimeUnit\": \"ms\", \"traceEvents\": [\n");
        Map<String, Integer> pids = new LinkedHashMap<>();
        for (Span s : spans()) {
            int pid = pids.computeIfAbsent(s.device(), d -> pids.size() + 1);
            String kernelTime = s.kernelNanos() > 0
                    ? String.format(Locale.ROOT, ", \"kernel_us\": %.3f", s.kernelNanos() / 1e3) : "";
            json.append(String.format(Locale.ROOT, "{\"name\": \"%s\", \"cat\": \"%s\", \"ph\": \"X\", \"pid\": %d, "
                    + "\"tid\": %d, \"ts\": %.3f, \"dur\": %.3f, \"args\": {\"shapes\": \"%s\", \"bytes\": %d, \"flops\": %.0f%s}},%n",
                    s.name(), s.name().substring(0, s.name().indexOf('.')), pid, s.thread(), s.startNanos() / 1e3,
                    s.durationNanos() / 1e3, s.shapes(), s.bytes(), s.flops(), kernelTime));
        }
        int n = 0;
        for (Map.Entry<String, Integer> p : pids.entrySet()) {
            json.append(String.format(Locale.ROOT, "{\"name\": \"process_name\", \"ph\": \"M\", \"pid\": %d, "
                    + "\"args\": {\"name\": \"kmerl %s\"}}%s%n", p.getValue(), p.getKey(), ++n < pids.size() ? "," : ""));
        }
        json.append("]}\n");
        AtomicFiles.write(file, out -> out.write(json.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Per op, heaviest first: calls, total ms, share of traced time, GB/s and GFLOP/s over its calls, and %
     * of the device's peak (FLOP/s for products and attention, bandwidth for the rest; "-" where the
     * backend knows no peak). On a GPU the spans include the device's idle wait for each launch, so where the
     * kernel track timed an op's kernels, a "kernel ms" column gives their device time and the rates are taken
     * over it: what the kernels achieved, not the traced op's pace.
     */
    public String summary() {
        Map<String, double[]> byOp = new LinkedHashMap<>();   // calls, ns, bytes, flops, kernel ns
        Map<String, String> deviceOf = new LinkedHashMap<>();
        List<Span> ops = spans().stream().filter(s -> !isKernel(s)).toList();
        for (Span s : ops) {
            deviceOf.put(s.device() + " " + s.name(), s.device());
            double[] t = byOp.computeIfAbsent(s.device() + " " + s.name(), k -> new double[5]);
            t[0]++;
            t[1] += s.durationNanos();
            t[2] += s.bytes();
            t[3] += s.flops();
            t[4] += s.kernelNanos();
        }
        boolean kernelTimes = ops.stream().anyMatch(s -> s.kernelNanos() > 0);
        double total = byOp.values().stream().mapToDouble(t -> t[1]).sum();
        List<Map.Entry<String, double[]>> rows = new ArrayList<>(byOp.entrySet());
        rows.sort(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> e.getValue()[1]).reversed());
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-40s %8s %11s %7s%s %10s %11s %8s%n", "op",
                "calls", "total ms", "share", kernelTimes ? String.format(Locale.ROOT, " %10s", "kernel ms") : "", "GB/s",
                "GFLOP/s", "% peak"));
        for (Map.Entry<String, double[]> e : rows) {
            double[] t = e.getValue();
            double seconds = (t[4] > 0 ? t[4] : t[1]) / 1e9;
            Backend backend = backends.get(deviceOf.get(e.getKey()));
            double peak = backend == null ? Double.NaN : t[3] > 0 ? backend.peakFlopsPerSecond() : backend.peakBytesPerSecond();
            double pct = 100 * (t[3] > 0 ? t[3] : t[2]) / seconds / peak;
            String kernelColumn = !kernelTimes ? "" : String.format(Locale.ROOT, " %10s",
                    t[4] > 0 ? String.format(Locale.ROOT, "%.2f", t[4] / 1e6) : "-");
            sb.append(String.format(Locale.ROOT, "%-40s %8.0f %11.2f %6.1f%%%s %10.1f %11s %8s%n", e.getKey(), t[0],
                    t[1] / 1e6, 100 * t[1] / Math.max(total, 1), kernelColumn, t[2] / seconds / 1e9,
                    t[3] > 0 ? String.format(Locale.ROOT, "%.1f", t[3] / seconds / 1e9) : "-",
                    Double.isFinite(pct) ? String.format(Locale.ROOT, "%.1f%%", pct) : "-"));
        }
        String kernelTotal = !kernelTimes ? "" : String.format(Locale.ROOT, " %7s %10.2f", "",
                byOp.values().stream().mapToDouble(t -> t[4]).sum() / 1e6);
        sb.append(String.format(Locale.ROOT, "%-40s %8d %11.2f%s%n", "all traced ops", ops.size(), total / 1e6, kernelTotal));
        List<Span> kernels = spans().stream().filter(Tracer::isKernel).toList();
        if (!kernels.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "(and %d GPU kernel launches, CUDA-event timed, on the trace's kernel tracks;"
                    + " rates over the kernels' device time where the op has one)%n", kernels.size()));
            sb.append(kernelTable(kernels));
        }
        return sb.toString();
    }

    /** How many kernels the per-kernel table lists, heaviest first; the rest are summed in one line. */
    static final int KERNEL_ROWS = 15;

    /** The kernel track by entry point and device: launches, device ms, share of all kernel time, longest launch. */
    private static String kernelTable(List<Span> kernels) {
        Map<String, long[]> byKernel = new LinkedHashMap<>();   // launches, ns, longest ns
        for (Span k : kernels) {
            String key = k.device().replace(KERNEL_TRACK, "") + " " + k.name().substring(KERNEL_PREFIX.length());
            long[] t = byKernel.computeIfAbsent(key, n -> new long[3]);
            t[0]++;
            t[1] += k.durationNanos();
            t[2] = Math.max(t[2], k.durationNanos());
        }
        double total = byKernel.values().stream().mapToDouble(t -> t[1]).sum();
        List<Map.Entry<String, long[]>> rows = new ArrayList<>(byKernel.entrySet());
        rows.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[1]).reversed());
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%n%-52s %8s %10s %7s %10s%n", "kernel",
                "launches", "device ms", "share", "longest us"));
        for (Map.Entry<String, long[]> e : rows.subList(0, Math.min(KERNEL_ROWS, rows.size()))) {
            long[] t = e.getValue();
            sb.append(String.format(Locale.ROOT, "%-52s %8d %10.2f %6.1f%% %10.1f%n", e.getKey(), t[0], t[1] / 1e6,
                    100 * t[1] / Math.max(total, 1), t[2] / 1e3));
        }
        if (rows.size() > KERNEL_ROWS) {
            long[] rest = new long[2];
            rows.subList(KERNEL_ROWS, rows.size()).forEach(e -> {
                rest[0] += e.getValue()[0];
                rest[1] += e.getValue()[1];
            });
            sb.append(String.format(Locale.ROOT, "%-52s %8d %10.2f %6.1f%%%n", "(" + (rows.size() - KERNEL_ROWS)
                    + " more kernels)", rest[0], rest[1] / 1e6, 100 * rest[1] / Math.max(total, 1)));
        }
        return sb.toString();
    }
}
