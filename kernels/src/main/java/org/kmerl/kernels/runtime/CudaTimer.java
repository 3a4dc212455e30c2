package org.kmerl.kernels.runtime;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;

import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import org.kmerl.tensor.backend.DeviceClock;

/**
 * Times device work between two CUDA events on the stream the kernels run on (device time, not host time):
 * the benchmarks' clock, and the tracer's ({@link org.kmerl.kernels.CudaBackend#newDeviceClock}).
 */
public final class CudaTimer implements DeviceClock {
    private final CudaContext context;
    private final CUevent start = new CUevent();
    private final CUevent stop = new CUevent();

    public CudaTimer(CudaContext context) {
        this.context = context;
        context.bind();
        cuEventCreate(start, CUevent_flags.CU_EVENT_DEFAULT);
        cuEventCreate(stop, CUevent_flags.CU_EVENT_DEFAULT);
    }

    @Override
    public void start() {
        context.bind();
        cuEventRecord(start, null);
    }

    /** Milliseconds since {@link #start()}, waiting for the work in between to finish. */
    @Override
    public double stopMillis() {
        cuEventRecord(stop, null);
        cuEventSynchronize(stop);
        float[] ms = new float[1];
        cuEventElapsedTime(ms, start, stop);
        return ms[0];
    }

    @Override
    public void close() {
        context.bind();   // the tracer may close a clock from another thread than the one that used it
        cuEventDestroy(start);
        cuEventDestroy(stop);
    }
}
