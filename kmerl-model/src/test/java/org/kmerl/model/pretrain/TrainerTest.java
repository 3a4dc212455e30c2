package org.kmerl.model.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmerl.model.data.EcgRecord;
import org.kmerl.model.data.preprocess.Crop;
import org.kmerl.model.data.preprocess.Normalization;
import org.kmerl.model.data.preprocess.Preprocessor;
import org.kmerl.model.data.Lead;
import org.kmerl.model.ecg.EcgEncoderConfig;
import org.kmerl.model.ecg.LeadMasking;
import org.kmerl.model.kmerl.KmerlConfig;
import org.kmerl.model.text.TextEncoder;
import org.kmerl.tensor.Device;

class TrainerTest {
    static TextEncoder minilm;
    static Preprocessor twoSeconds;

    @BeforeAll
    static void load() throws IOException {
        minilm = TextEncoder.minilm();
        twoSeconds = Preprocessor.builder().leads(List.of(Lead.values())).rate(100).bandPass(0.5, 40)
                .length(200, Crop.START).normalization(Normalization.GLOBAL_Z_SCORE).build();
    }

    static List<Double> stepLosses(Path run) throws IOException {
        List<Double> out = new ArrayList<>();
        for (JsonNode n : MetricsLog.read(run.resolve("metrics.jsonl"))) {
            if (n.path("kind").asText().equals("step")) {
                assertEquals(out.size() + 1, n.path("step").asInt(), "steps are logged once each, in order");
                out.add(n.path("loss").asDouble());
            }
        }
        return out;
    }

    @Test
    void aResumedRunReproducesTheUninterruptedRunBitForBit(@TempDir Path tmp) throws IOException {
        InMemoryData train = InMemoryData.synthetic(40, 1, twoSeconds, null);
        InMemoryData validation = InMemoryData.synthetic(16, 2, twoSeconds, null);
        Supervision text = Supervision.prepare(train, validation, minilm, tmp.resolve("text.safetensors"), 2);
        KmerlConfig model = KmerlConfig.Preset.MICRO.config();
        TrainerConfig config = TrainerConfig.defaults(8, 8).withSchedule(3, 3);

        new Trainer(model, config, train, validation, text, tmp.resolve("whole"), Device.CPU, TrainingListener.NONE)
                .run(false);
        List<Double> whole = stepLosses(tmp.resolve("whole"));
        assertEquals(8, whole.size());

        TrainingListener crashAtFive = new TrainingListener() {
            @Override
            public void stepped(Step s) {
                if (s.step() == 5) {
                    throw new IllegalStateException("simulated crash");
                }
            }
        };
        Path split = tmp.resolve("split");
        assertThrows(IllegalStateException.class,
                () -> new Trainer(model, config, train, validation, text, split, Device.CPU, crashAtFive).run(false));
        List<String> messages = new ArrayList<>();
        Trainer.Summary s = new Trainer(model, config, train, validation, text, split, Device.CPU, new TrainingListener() {
            @Override
            public void message(String line) {
                messages.add(line);
            }
        }).run(true);
        assertEquals(3, s.firstStep(), "resumed from the step-3 checkpoint: " + messages);
        assertEquals(whole, stepLosses(split), "losses after resume equal the uninterrupted run's");
        assertTrue(Files.exists(split.resolve("best").resolve(CheckpointStore.WEIGHTS)));
        assertEquals(2, new CheckpointStore(split, 2).checkpoints().size(), "keep-last-2");

        // The last checkpoint read back for inference gives the trained model's weights, bit for bit.
        PretrainedModel last = PretrainedModel.load(split.resolve("checkpoints").resolve("step-000008"));
        PretrainedModel fromWhole = PretrainedModel.load(tmp.resolve("whole").resolve("checkpoints").resolve("step-000008"));
        assertEquals(text.entities().names(), last.entities().names());
        assertEquals(model, last.config());
        for (var e : last.model().namedParameters().entrySet()) {
            assertTrue(java.util.Arrays.equals(e.getValue().data().toFloatArray(),
                    fromWhole.model().namedParameters().get(e.getKey()).data().toFloatArray()), e.getKey());
        }
        IOException missing = assertThrows(IOException.class, () -> PretrainedModel.load(tmp));
        assertTrue(missing.getMessage().contains("not a K-MERL checkpoint"), missing.getMessage());
    }

    @Test
    void theModelOverfits32SyntheticPairs(@TempDir Path tmp) throws IOException {
        // 32 records whose reports differ (identical reports cannot be told apart by the contrastive loss).
        InMemoryData pool = InMemoryData.synthetic(160, 3, twoSeconds, null);
        List<EcgRecord> distinct = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < pool.size() && distinct.size() < 32; i++) {
            if (seen.add(pool.report(i))) {
                distinct.add(recordOf(pool, i));
            }
        }
        assertEquals(32, distinct.size());
        InMemoryData pairs = new InMemoryData("32 pairs", distinct);
        Supervision text = Supervision.prepare(pairs, pairs, minilm, tmp.resolve("text.safetensors"), 1);
        EcgEncoderConfig encoder = new EcgEncoderConfig(100, 200, 25, 32, 2, 2, 64, 0f, false);
        KmerlConfig model = KmerlConfig.Preset.MICRO.config().withEncoder(encoder).withMasking(LeadMasking.NONE);
        TrainerConfig config = TrainerConfig.defaults(300, 32).withLr(3e-3, 20).withSchedule(300, 300);
        new Trainer(model, config, pairs, pairs, text, tmp.resolve("run"), Device.CPU, TrainingListener.NONE).run(false);
        JsonNode last = null;
        for (JsonNode n : MetricsLog.read(tmp.resolve("run").resolve("metrics.jsonl"))) {
            if (n.path("kind").asText().equals("step")) {
                last = n;
            }
        }
        double contrastive = last.path("contrastive").asDouble();
        double entity = last.path("entity").asDouble();
        System.out.printf("overfit 32 pairs: contrastive %.4f (chance ln 32 = 3.47), entity BCE %.4f%n", contrastive,
                entity);
        assertTrue(contrastive < 0.05, "contrastive loss " + contrastive + " should be near zero");
        assertTrue(entity < 0.05, "entity loss " + entity + " should be near zero");
    }

    static EcgRecord recordOf(InMemoryData data, int i) {
        float[] all = new float[12 * data.length()];
        data.read(i, all, 0);
        float[][] signals = new float[12][];
        for (int l = 0; l < 12; l++) {
            signals[l] = java.util.Arrays.copyOfRange(all, l * data.length(), (l + 1) * data.length());
        }
        return new EcgRecord(data.id(i), data.rate(), List.of(Lead.values()), signals, data.report(i), data.labels(i),
                java.util.Map.of());
    }
}
