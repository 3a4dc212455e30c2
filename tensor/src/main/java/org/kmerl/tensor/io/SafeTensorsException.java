package org.kmerl.tensor.io;

import java.io.IOException;
import java.nio.file.Path;

/** A safetensors file that is truncated, corrupt or not what the caller expected; names the file. */
public class SafeTensorsException extends IOException {
    private static final long serialVersionUID = 1L;

    public SafeTensorsException(Path file, String reason) {
        super(file + ": " + reason);
    }

    public SafeTensorsException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
    }
}
