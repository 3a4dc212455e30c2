package org.kmerl.model.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmerl.model.ModelFormatException;
import org.kmerl.model.kmerl.KmerlConfig;

class PretrainSettingsTest {
    @Test
    void yamlAndJsonOverrideThePresetKeyByKey(@TempDir Path tmp) throws IOException {
        Path yaml = tmp.resolve("c.yaml");
        Files.writeString(yaml, "model:\n  entityWeight: 0.5\n  encoder: {width: 192, heads: 3, mlpDim: 768}\n"
                + "  masking: {segmentRatio: 0.5, removedLeads: [10, 11]}\ntrainer:\n  lr: 0.0005\n");
        PretrainSettings s = PretrainSettings.of("tiny", 100, 16).merge(yaml);
        assertEquals(0.5f, s.model().entityWeight());
        assertEquals(192, s.model().encoder().width());
        assertEquals(KmerlConfig.preset("tiny").encoder().depth(), s.model().encoder().depth(), "untouched keys stay");
        assertEquals(0.5, s.model().masking().segmentRatio());
        assertEquals(2, s.model().masking().removedLeads().length);
        assertEquals(0.0005, s.trainer().lr());
        assertEquals(100, s.trainer().steps());

        Path json = tmp.resolve("c.json");
        Files.writeString(json, "{\"trainer\": {\"batchSize\": 8}}");
        assertEquals(8, PretrainSettings.of("micro", 10, 4).merge(json).trainer().batchSize());
    }

    @Test
    void unknownKeysAndInvalidValuesNameTheFileAndTheKey(@TempDir Path tmp) throws IOException {
        Path typo = tmp.resolve("typo.yaml");
        Files.writeString(typo, "trainer:\n  learningRate: 0.1\n");
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> PretrainSettings.of("tiny", 10, 4).merge(typo));
        assertTrue(e.getMessage().contains("typo.yaml") && e.getMessage().contains("trainer.learningRate"), e.getMessage());

        Path invalid = tmp.resolve("invalid.yaml");
        Files.writeString(invalid, "model:\n  encoder: {patch: 33}\n");
        e = assertThrows(ModelFormatException.class, () -> PretrainSettings.of("tiny", 10, 4).merge(invalid));
        assertTrue(e.getMessage().contains("invalid.yaml") && e.getMessage().contains("patch size 33"), e.getMessage());
    }
}
