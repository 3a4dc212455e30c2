package org.kmerl.model.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kmerl.model.data.Lead;
import org.kmerl.model.data.preprocess.Crop;
import org.kmerl.model.data.preprocess.Normalization;
import org.kmerl.model.data.preprocess.Preprocessor;
import org.kmerl.model.ecg.LeadMasking;
import org.kmerl.model.kmerl.KmerlConfig;
import org.kmerl.model.text.TextEncoder;
import org.kmerl.parallel.InProcessCollective;
import org.kmerl.tensor.Device;

/**
 * Two data-parallel ranks (threads of this process, {@link InProcessCollective}) with batches of 4 train as one
 * process with batches of 8: the same rows per step (rank r takes batch 2s + r), the contrastive loss over
 * both ranks' embeddings, gradients averaged. Masking is off and the micro preset has no dropout, so the
 * only difference is the order of float sums.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)   // ranks that wait for each other must never hang the build
class TrainerDataParallelTest {

    @Test
    void twoRanksTrainLikeOneProcessWithTheirBatchesTogether(@TempDir Path tmp) throws IOException {
        Preprocessor twoSeconds = Preprocessor.builder().leads(List.of(Lead.values())).rate(100).bandPass(0.5, 40)
                .length(200, Crop.START).normalization(Normalization.GLOBAL_Z_SCORE).build();
        InMemoryData train = InMemoryData.synthetic(40, 1, twoSeconds, null);
        InMemoryData validation = InMemoryData.synthetic(16, 2, twoSeconds, null);
        Supervision text = Supervision.prepare(train, validation, TextEncoder.minilm(), tmp.resolve("text.safetensors"), 2);
        KmerlConfig model = KmerlConfig.Preset.MICRO.config().withMasking(LeadMasking.NONE);

        new Trainer(model, TrainerConfig.defaults(6, 8).withSchedule(6, 6), train, validation, text, tmp.resolve("one"),
                Device.CPU, TrainingListener.NONE).run(false);
        int[] heard = new int[2];
        List<Trainer.Summary> summaries = InProcessCollective.run(2, ranks -> {
            TrainingListener counting = new TrainingListener() {
                @Override
                public void stepped(Step s) {
                    heard[ranks.rank()]++;
                }
            };
            try {
                return new Trainer(model, TrainerConfig.defaults(6, 4).withSchedule(6, 6), train, validation, text,
                        tmp.resolve("two"), Device.CPU, counting, ranks).run(false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        List<Double> one = TrainerTest.stepLosses(tmp.resolve("one"));
        List<Double> two = TrainerTest.stepLosses(tmp.resolve("two"));
        assertEquals(6, two.size(), "rank 0 logs every step once");
        for (int s = 0; s < one.size(); s++) {
            assertEquals(one.get(s), two.get(s), 1e-4 * Math.abs(one.get(s)), "step " + (s + 1));
        }
        assertTrue(one.get(0) - one.get(5) > 0, "the loss falls (" + one + ")");
        assertEquals(summaries.get(0).samplesPerSecond() * summaries.get(0).wallSeconds(), 6 * 8, 1e-6,
                "samples count the global batch");
        assertTrue(Files.exists(tmp.resolve("two").resolve("summary.json")), "rank 0 writes the summary");
        assertEquals(6, heard[0], "rank 0's listener hears every step");
        assertEquals(0, heard[1], "rank 1's listener hears nothing");
    }
}
