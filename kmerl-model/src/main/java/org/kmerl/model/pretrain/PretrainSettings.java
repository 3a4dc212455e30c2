package org.kmerl.model.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.kmerl.model.ModelFormatException;
import org.kmerl.model.kmerl.KmerlConfig;

/**
 * The model and trainer settings of a pretraining run: a preset's defaults, overridden by a config
 * file (YAML or JSON, the same shape as a run's {@code config.json}), e.g.
 * <pre>
 *   model:
 *     entityWeight: 0.5
 *     encoder: {width: 192, depth: 6, heads: 3, mlpDim: 768}
 *     masking: {fullLeadShare: 0.1, segmentRatio: 0.5}
 *   trainer:
 *     lr: 0.0005
 * </pre>
 * Only the keys given change; unknown keys are errors that name the key and the file.
 */
public record PretrainSettings(KmerlConfig model, TrainerConfig trainer) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    public static PretrainSettings of(String preset, int steps, int batchSize) {
        return new PretrainSettings(KmerlConfig.preset(preset), TrainerConfig.defaults(steps, batchSize));
    }

    /** These settings with the keys of {@code file} (YAML or JSON) laid over them. */
    public PretrainSettings merge(Path file) throws IOException {
        JsonNode overrides;
        try {
            overrides = YAML.readTree(Files.readString(file));   // YAML is a superset of JSON
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ModelFormatException(file.toString(), "not valid YAML or JSON: " + e.getOriginalMessage());
        }
        if (overrides == null || overrides.isMissingNode() || overrides.isNull()) {
            return this;
        }
        if (!overrides.isObject()) {
            throw new ModelFormatException(file.toString(), "expected a mapping with 'model' and/or 'trainer'");
        }
        ObjectNode base = JSON.createObjectNode();
        base.set("model", JSON.valueToTree(model));
        base.set("trainer", JSON.valueToTree(trainer));
        merge(base, overrides, "", file);
        try {
            return new PretrainSettings(JSON.treeToValue(base.get("model"), KmerlConfig.class),
                    JSON.treeToValue(base.get("trainer"), TrainerConfig.class));
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ModelFormatException(file.toString(), cause.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ModelFormatException(file.toString(), e.getOriginalMessage());
        }
    }

    private static void merge(ObjectNode base, JsonNode overrides, String path, Path file) throws ModelFormatException {
        Iterator<Map.Entry<String, JsonNode>> fields = overrides.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
            JsonNode current = base.get(f.getKey());
            if (current == null) {
                throw new ModelFormatException(file.toString(), "unknown setting '" + key + "' (known here: "
                        + String.join(", ", (Iterable<String>) base::fieldNames) + ")");
            }
            if (current.isObject()) {
                if (!f.getValue().isObject()) {
                    throw new ModelFormatException(file.toString(), "'" + key + "' must be a mapping");
                }
                merge((ObjectNode) current, f.getValue(), key, file);
            } else {
                base.set(f.getKey(), f.getValue());
            }
        }
    }

    public PretrainSettings withTrainer(TrainerConfig t) {
        return new PretrainSettings(model, t);
    }

    public PretrainSettings withModel(KmerlConfig m) {
        return new PretrainSettings(m, trainer);
    }
}
