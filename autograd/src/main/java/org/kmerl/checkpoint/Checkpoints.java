package org.kmerl.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kmerl.nn.Module;
import org.kmerl.optim.Optimizer;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.io.SafeTensors;
import org.kmerl.tensor.io.SafeTensorsException;

/**
 * Checkpoints in two safetensors files, both written atomically:
 * <ul>
 *   <li>weights: the module's state dict under its dotted names, readable by the Python
 *       {@code safetensors} library and loadable into the same architecture in PyTorch;</li>
 *   <li>training state: the optimizer's moments ({@code exp_avg.<param>}, ...), its step count and
 *       the states of named random generators in the metadata, so a run resumes exactly.</li>
 * </ul>
 */
public final class Checkpoints {
    static final String FORMAT_KEY = "format";
    static final String TRAINING_STATE_FORMAT = "kmerl-training-state";
    static final String VERSION_KEY = "version";
    static final String VERSION = "1";
    static final String STEPS_KEY = "optimizer.steps";
    static final String OPTIMIZER_KEY = "optimizer";
    static final String GENERATOR_PREFIX = "generator.";

    private Checkpoints() {
    }

    public static void saveWeights(Path file, Module module, Map<String, String> metadata) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.putIfAbsent("producer", "kmerl");
        SafeTensors.write(file, module.stateDict(), meta);
    }

    /** Loads weights; the error names the file and lists missing, unexpected and mis-shaped keys. */
    public static Map<String, String> loadWeights(Path file, Module module, boolean strict) throws IOException {
        try (SafeTensors.Content content = SafeTensors.read(file)) {
            try {
                module.loadStateDict(content.tensors(), strict);
            } catch (IllegalArgumentException e) {
                throw new SafeTensorsException(file, e.getMessage(), e);
            }
            return content.metadata();
        }
    }

    /** What a training-state file holds besides the optimizer's tensors. */
    public record TrainingState(long steps, Map<String, String> extra) {
    }

    /**
     * Saves the optimizer (moments and step count) and the positions of the named generators (the
     * data order, every dropout site: {@code module.namedGenerators()}), so that a resumed run draws
     * exactly the numbers an uninterrupted one would.
     */
    public static void saveTrainingState(Path file, Optimizer optimizer, Map<String, Generator> generators,
                                         Map<String, String> extra) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(FORMAT_KEY, TRAINING_STATE_FORMAT);
        meta.put(VERSION_KEY, VERSION);
        meta.put(OPTIMIZER_KEY, optimizer.getClass().getSimpleName());
        meta.put(STEPS_KEY, Long.toString(optimizer.steps()));
        generators.forEach((name, g) -> meta.put(GENERATOR_PREFIX + name, g.seed() + "," + g.offset()));
        extra.forEach((k, v) -> {
            if (meta.containsKey(k) || k.startsWith(GENERATOR_PREFIX)) {
                throw new IllegalArgumentException("training-state metadata key '" + k + "' is reserved");
            }
            meta.put(k, v);
        });
        SafeTensors.write(file, optimizer.stateTensors(), meta);
    }

    /**
     * Restores the optimizer and the given generators in place (the generator names must be those
     * that were saved) and returns the step count and the extra metadata. Nothing is modified when
     * the file does not match.
     */
    public static TrainingState loadTrainingState(Path file, Optimizer optimizer, Map<String, Generator> generators)
            throws IOException {
        try (SafeTensors.Content content = SafeTensors.read(file)) {
            Map<String, String> meta = content.metadata();
            if (!TRAINING_STATE_FORMAT.equals(meta.get(FORMAT_KEY))) {
                throw new SafeTensorsException(file, "not a kmerl training-state file (metadata format is "
                        + meta.get(FORMAT_KEY) + ")");
            }
            if (!VERSION.equals(meta.get(VERSION_KEY))) {
                throw new SafeTensorsException(file, "training-state version " + meta.get(VERSION_KEY)
                        + " is not supported (this kmerl reads version " + VERSION + ")");
            }
            String kind = optimizer.getClass().getSimpleName();
            if (!kind.equals(meta.get(OPTIMIZER_KEY))) {
                throw new SafeTensorsException(file, "state was saved by optimizer " + meta.get(OPTIMIZER_KEY)
                        + ", cannot load into " + kind);
            }
            long steps;
            try {
                steps = Long.parseLong(meta.get(STEPS_KEY));
            } catch (NumberFormatException e) {
                throw new SafeTensorsException(file, "bad " + STEPS_KEY + " '" + meta.get(STEPS_KEY) + "'", e);
            }
            Map<String, long[]> saved = new LinkedHashMap<>();
            Map<String, String> extra = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : meta.entrySet()) {
                if (e.getKey().startsWith(GENERATOR_PREFIX)) {
                    saved.put(e.getKey().substring(GENERATOR_PREFIX.length()), parseGenerator(file, e));
                } else if (!e.getKey().equals(FORMAT_KEY) && !e.getKey().equals(VERSION_KEY)
                        && !e.getKey().equals(OPTIMIZER_KEY) && !e.getKey().equals(STEPS_KEY)) {
                    extra.put(e.getKey(), e.getValue());
                }
            }
            if (!saved.keySet().equals(generators.keySet())) {
                throw new SafeTensorsException(file, "saved generators " + new java.util.TreeSet<>(saved.keySet())
                        + " do not match the run's generators " + new java.util.TreeSet<>(generators.keySet()));
            }
            try {
                optimizer.loadState(content.tensors(), steps);
            } catch (IllegalArgumentException e) {
                throw new SafeTensorsException(file, e.getMessage(), e);
            }
            saved.forEach((name, state) -> generators.get(name).setState(state));
            return new TrainingState(steps, extra);
        }
    }

    private static long[] parseGenerator(Path file, Map.Entry<String, String> e) throws SafeTensorsException {
        String[] parts = e.getValue().split(",");
        try {
            if (parts.length == 2) {
                long[] state = {Long.parseLong(parts[0].trim()), Long.parseLong(parts[1].trim())};
                if (state[1] >= 0) {
                    return state;
                }
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new SafeTensorsException(file, "bad generator state " + e.getKey() + " = '" + e.getValue()
                + "' (expected 'seed,offset')");
    }
}
