package org.kmerl.model;

import java.io.IOException;

/**
 * A tokenizer, configuration or weight file that kmerl cannot use: the message names the source
 * (file or resource) and what is wrong with it.
 */
public class ModelFormatException extends IOException {
    public ModelFormatException(String source, String reason) {
        super(source + ": " + reason);
    }

    public ModelFormatException(String source, String reason, Throwable cause) {
        super(source + ": " + reason, cause);
    }
}
