package org.kmerl.model.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.kmerl.checkpoint.Checkpoints;
import org.kmerl.nn.Module;
import org.kmerl.optim.Optimizer;
import org.kmerl.tensor.Generator;

/**
 * Checkpoint folders under a run's output folder:
 * <pre>
 *   checkpoints/step-000400/   model.safetensors  training-state.safetensors  trainer.json  config.json  entities.json
 *   best/                      the same, for the best validation AUROC so far
 * </pre>
 * A folder is written complete under a temporary name and renamed into place, so a crash never leaves
 * a half checkpoint; the oldest folders beyond {@code keepLast} are removed after a new one is in place.
 */
public final class CheckpointStore {
    public static final String WEIGHTS = "model.safetensors";
    public static final String TRAINING_STATE = "training-state.safetensors";
    public static final String TRAINER = "trainer.json";
    public static final String CONFIG = "config.json";
    public static final String ENTITIES = "entities.json";

    private final Path root;
    private final int keepLast;

    public CheckpointStore(Path runDir, int keepLast) {
        this.root = runDir;
        this.keepLast = keepLast;
    }

    /** What a checkpoint holds besides weights and optimizer. */
    public record Contents(Module model, Optimizer optimizer, Map<String, Generator> generators, JsonNode trainerState,
                           String configJson, EntitySet entities) {
    }

    public Path save(long step, Contents c) throws IOException {
        Path dir = root.resolve("checkpoints").resolve(String.format("step-%06d", step));
        write(dir, c);
        prune();
        return dir;
    }

    public Path saveBest(Contents c) throws IOException {
        return write(root.resolve("best"), c);
    }

    private Path write(Path target, Contents c) throws IOException {
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve(".tmp-" + target.getFileName());
        deleteTree(tmp);
        Files.createDirectories(tmp);
        Checkpoints.saveWeights(tmp.resolve(WEIGHTS), c.model(), Map.of("config", c.configJson()));
        Checkpoints.saveTrainingState(tmp.resolve(TRAINING_STATE), c.optimizer(), c.generators(), Map.of());
        Files.writeString(tmp.resolve(TRAINER), MetricsLog.JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(c.trainerState()), StandardCharsets.UTF_8);
        Files.writeString(tmp.resolve(CONFIG), c.configJson(), StandardCharsets.UTF_8);
        c.entities().write(tmp.resolve(ENTITIES));
        Path old = parent.resolve(".old-" + target.getFileName());
        deleteTree(old);
        if (Files.exists(target)) {
            move(target, old);
        }
        move(tmp, target);
        deleteTree(old);
        return target;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** The step checkpoints, oldest first. */
    public List<Path> checkpoints() throws IOException {
        Path dir = root.resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.filter(p -> p.getFileName().toString().matches("step-\\d+"))
                    .filter(p -> Files.exists(p.resolve(TRAINER)))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList());
        }
    }

    public Optional<Path> latest() throws IOException {
        List<Path> all = checkpoints();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    private void prune() throws IOException {
        List<Path> all = checkpoints();
        for (int i = 0; i < all.size() - keepLast; i++) {
            deleteTree(all.get(i));
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
