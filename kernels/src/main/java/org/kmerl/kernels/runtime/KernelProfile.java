package org.kmerl.kernels.runtime;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import org.kmerl.tensor.trace.Tracer;

/**
 * Device time per kernel, for finding where a model's step goes on the GPU when no Nsight tool is at
 * hand. With {@code KMERL_CUDA_PROFILE=1} every launch is bracketed by two CUDA events and waited for,
 * so each kernel's time is its own (the host runs slower, the device times do not change); without it
 * nothing is tallied and a launch costs one boolean test. {@link #print} writes a table sorted by
 * total time and starts a new tally. While a {@link Tracer} records, each launch is timed the same way
 * and becomes a span of the trace's "cuda:N kernels" track ({@link Tracer#recordKernel}).
 */
public final class KernelProfile {
    public static final boolean ENABLED = "1".equals(System.getenv("KMERL_CUDA_PROFILE"));

    private static final Map<String, double[]> TOTALS = new LinkedHashMap<>();   // name -> {calls, ms, max ms}
    /** A start and a stop event per device, created in that device's context (events belong to one context). */
    private static final Map<Integer, CUevent[]> EVENTS = new HashMap<>();

    private KernelProfile() {
    }

    /**
     * Runs {@code launch} between two events and waits for it; adds its device time to {@code kernel}'s tally
     * (when enabled) and to the active tracer's kernel track.
     */
    static synchronized void timed(String kernel, CudaContext context, Grid grid, Runnable launch) {
        long host = System.nanoTime();
        context.bind();   // the events are recorded before the launch binds the context itself
        CUevent[] events = EVENTS.computeIfAbsent(context.index(), d -> {
            CUevent[] pair = {new CUevent(), new CUevent()};
            for (CUevent e : pair) {
                cuEventCreate(e, CUevent_flags.CU_EVENT_DEFAULT);
            }
            return pair;
        });
        CUevent start = events[0];
        CUevent stop = events[1];
        cuEventRecord(start, null);
        launch.run();
        cuEventRecord(stop, null);
        cuEventSynchronize(stop);
        float[] ms = new float[1];
        cuEventElapsedTime(ms, start, stop);
        Tracer.recordKernel(kernel, "cuda:" + context.index(), host, Math.round(ms[0] * 1e6), grid.toString());
        if (!ENABLED) {
            return;
        }
        double[] t = TOTALS.computeIfAbsent(kernel, k -> new double[3]);
        t[0]++;
        t[1] += ms[0];
        t[2] = Math.max(t[2], ms[0]);
    }

    /** The tally since the last print, heaviest kernels first, {@code per} dividing calls and times (e.g. steps). */
    public static synchronized void print(PrintStream out, String title, int per) {
        if (!ENABLED) {
            return;
        }
        List<Map.Entry<String, double[]>> rows = new ArrayList<>(TOTALS.entrySet());
        rows.sort((a, b) -> Double.compare(b.getValue()[1], a.getValue()[1]));
        double all = rows.stream().mapToDouble(e -> e.getValue()[1]).sum();
        out.printf(Locale.ROOT, "%s: device time per unit %.3f ms over %d kernels%n", title, all / per, rows.size());
        out.printf(Locale.ROOT, "  %-44s %8s %10s %7s %10s%n", "kernel", "calls", "ms", "share", "max us");
        for (Map.Entry<String, double[]> e : rows) {
            double[] t = e.getValue();
            out.printf(Locale.ROOT, "  %-44s %8.1f %10.3f %6.1f%% %10.1f%n", e.getKey(), t[0] / per, t[1] / per,
                    100 * t[1] / all, 1e3 * t[2]);
        }
        TOTALS.clear();
    }
}
