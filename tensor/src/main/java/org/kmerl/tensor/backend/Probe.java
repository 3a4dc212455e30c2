package org.kmerl.tensor.backend;

import java.util.List;

/**
 * Result of looking for a device kind: whether it can run tensors, a one-line summary, and detail
 * lines (driver version, devices found, why something is missing).
 */
public record Probe(boolean usable, String summary, List<String> details) {
    public Probe {
        details = List.copyOf(details);
    }
}
