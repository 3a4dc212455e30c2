package org.kmerl.model.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.kmerl.checkpoint.Checkpoints;
import org.kmerl.model.ModelFormatException;
import org.kmerl.model.kmerl.KmerlConfig;
import org.kmerl.model.kmerl.KmerlModel;
import org.kmerl.model.text.TextEncoder;
import org.kmerl.tensor.Generator;

/**
 * A checkpoint folder read back for inference (evaluation, embedding): the model with its weights,
 * in eval mode, its settings, and the entities its query network was trained on. Accepts a run folder
 * (its {@code best/} checkpoint), or any checkpoint folder ({@code best/}, {@code checkpoints/step-N/}).
 */
public record PretrainedModel(KmerlModel model, KmerlConfig config, EntitySet entities, Path dir) {
    public static PretrainedModel load(Path path) throws IOException {
        Path dir = Files.exists(path.resolve(CheckpointStore.WEIGHTS)) ? path : path.resolve("best");
        for (String f : new String[] {CheckpointStore.WEIGHTS, CheckpointStore.CONFIG, CheckpointStore.ENTITIES}) {
            if (!Files.exists(dir.resolve(f))) {
                throw new ModelFormatException(dir.toString(), "not a K-MERL checkpoint: " + f + " is missing (give a run "
                        + "folder, its best/ folder or one of its checkpoints/step-N folders)");
            }
        }
        Path configFile = dir.resolve(CheckpointStore.CONFIG);
        KmerlConfig config;
        try {
            JsonNode model = MetricsLog.JSON.readTree(configFile.toFile()).path("model");
            if (model.isMissingNode()) {
                throw new ModelFormatException(configFile.toString(), "has no 'model' settings");
            }
            config = MetricsLog.JSON.treeToValue(model, KmerlConfig.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ModelFormatException(configFile.toString(), e.getOriginalMessage());
        }
        KmerlModel model = new KmerlModel(config, new Generator(0));
        Checkpoints.loadWeights(dir.resolve(CheckpointStore.WEIGHTS), model, true);
        model.eval();
        return new PretrainedModel(model, config, EntitySet.read(dir.resolve(CheckpointStore.ENTITIES)), dir);
    }

    /**
     * The frozen text encoder {@code name} ({@link TextEncoder#load}) for this checkpoint; one whose
     * embeddings have another width than the checkpoint was trained on is an error that says so.
     */
    public TextEncoder textEncoder(String name) throws IOException {
        TextEncoder text = TextEncoder.load(name);
        if (text.dimension() != config.textDim()) {
            throw new IllegalArgumentException("--text-model " + name + " makes " + text.dimension() + "-dimensional"
                    + " embeddings; the checkpoint was trained on " + config.textDim() + " (give the text model it"
                    + " was pretrained with)");
        }
        return text;
    }
}
