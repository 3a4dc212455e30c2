package org.kmerl.kernels.runtime;

/** A kernel failed to launch or to run; the message names the kernel, its grid and block. */
public final class KernelLaunchException extends RuntimeException {
    public KernelLaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
