package org.kmerl.tensor;

/** A shape, axis or broadcasting error; the message names the op and the shapes involved. */
public class ShapeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ShapeException(String message) {
        super(message);
    }
}
