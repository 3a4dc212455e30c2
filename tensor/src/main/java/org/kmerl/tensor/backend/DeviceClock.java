package org.kmerl.tensor.backend;

/**
 * Device time between {@link #start} and {@link #stopMillis} on the calling thread's stream: CUDA events
 * on a GPU, so a traced op's span leaves out the host's synchronisation (it still includes the GPU's
 * wait for each launch to arrive). One clock serves one thread.
 */
public interface DeviceClock extends AutoCloseable {
    void start();

    /** Device milliseconds since {@link #start}, after waiting for that work to finish. */
    double stopMillis();

    @Override
    void close();
}
