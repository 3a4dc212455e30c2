package org.kmerl.tensor.backend;

/**
 * Device time of the work a backend issues between {@link #start} and {@link #stopMillis} on the calling
 * thread: CUDA events on a GPU, so a traced op's span is the kernels' own time, without the launch and
 * synchronisation a host clock would add. One clock serves one thread.
 */
public interface DeviceClock extends AutoCloseable {
    void start();

    /** Device milliseconds since {@link #start}, after waiting for that work to finish. */
    double stopMillis();

    @Override
    void close();
}
