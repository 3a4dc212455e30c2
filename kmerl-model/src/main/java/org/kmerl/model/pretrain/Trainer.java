package org.kmerl.model.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.kmerl.checkpoint.Checkpoints;
import org.kmerl.model.ModelFormatException;
import org.kmerl.model.data.Lead;
import org.kmerl.model.kmerl.KmerlConfig;
import org.kmerl.model.kmerl.KmerlModel;
import org.kmerl.optim.AdamW;
import org.kmerl.optim.GradClip;
import org.kmerl.optim.LrSchedule;
import org.kmerl.optim.ParamGroup;
import org.kmerl.parallel.Collective;
import org.kmerl.parallel.DataParallel;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;

/**
 * The pretraining loop: batches from a {@link BatchLoader} (background threads), the dual loss,
 * AdamW with warm-up + cosine, global-norm clipping, a guard that skips steps with a non-finite loss
 * or gradient (and stops after {@code maxBadSteps} of them), periodic validation that keeps the best
 * checkpoint by zero-shot AUROC, periodic checkpoints, and a JSONL metrics log.
 *
 * <p>Resuming ({@code run(true)}) loads the latest checkpoint: weights, optimizer moments, dropout
 * generators and the trainer's counters. The data order and masking are functions of the step, so on
 * the CPU the resumed run's losses equal an uninterrupted run's bit for bit.
 *
 * <p>Data parallel over a {@link Collective} (one per rank, the same model and settings on each): rank r
 * of W takes batch s·W + r at step s, the CLIP loss sees every rank's embeddings (all-gathered, so its
 * negatives span the global batch of W × batchSize), gradients are averaged over the ranks before clipping,
 * a step is skipped on every rank when any rank's loss is not finite, and only rank 0 validates, logs,
 * writes checkpoints and reports to the listener. {@link org.kmerl.parallel.InProcessCollective} runs ranks
 * as threads of one process; an NCCL binding for multi-GPU runs is not written yet.
 */
public final class Trainer {
    /** How a run ended and where the time went. */
    public record Summary(long firstStep, long steps, int skippedSteps, double wallSeconds, double samplesPerSecond,
                          Map<String, Double> secondsBy, double bestAuroc, long bestStep, Path out) {
    }

    private final KmerlConfig modelConfig;
    private final TrainerConfig config;
    private final PretrainData train;
    private final PretrainData validation;
    private final Supervision text;
    private final Path out;
    private final Device device;
    private final TrainingListener listener;
    private final String configJson;
    private final Collective ranks;

    public Trainer(KmerlConfig modelConfig, TrainerConfig config, PretrainData train, PretrainData validation,
                   Supervision text, Path out, Device device, TrainingListener listener) {
        this(modelConfig, config, train, validation, text, out, device, listener, Collective.single());
    }

    /** One rank of a data-parallel run (see the class comment); {@code listener} hears from rank 0 only. */
    public Trainer(KmerlConfig modelConfig, TrainerConfig config, PretrainData train, PretrainData validation,
                   Supervision text, Path out, Device device, TrainingListener listener, Collective ranks) {
        if (modelConfig.textDim() != text.textDim()) {
            throw new IllegalArgumentException("model textDim " + modelConfig.textDim() + " differs from the text "
                    + "encoder's width " + text.textDim());
        }
        if (train.length() != modelConfig.encoder().samples() || train.rate() != modelConfig.encoder().rate()) {
            throw new IllegalArgumentException("data has " + train.length() + " samples at " + train.rate()
                    + " Hz, the encoder expects " + modelConfig.encoder().samples() + " at " + modelConfig.encoder().rate()
                    + " Hz (" + train.describe() + ")");
        }
        this.modelConfig = modelConfig;
        this.config = config;
        this.train = train;
        this.validation = validation;
        this.text = text;
        this.out = out;
        this.device = device;
        this.ranks = ranks;
        this.listener = ranks.rank() == 0 ? listener : TrainingListener.NONE;
        ObjectNode c = MetricsLog.JSON.createObjectNode();
        c.set("model", MetricsLog.JSON.valueToTree(modelConfig));
        c.set("trainer", MetricsLog.JSON.valueToTree(config));
        c.put("train", train.describe());
        c.put("validation", validation.describe());
        this.configJson = c.toPrettyString();
    }

    public Summary run(boolean resume) throws IOException {
        Files.createDirectories(out);
        KmerlModel model = new KmerlModel(modelConfig, new Generator(config.seed()));
        model.to(device);
        AdamW optimizer = new AdamW(ParamGroup.decayMatricesOnly(model.namedParameters(), config.lr(),
                config.weightDecay()), 0.9f, 0.999f, 1e-8f);
        LrSchedule schedule = LrSchedule.warmupCosine(config.warmupSteps(), config.steps(), config.minLrFactor());
        CheckpointStore store = new CheckpointStore(out, config.keepLast());
        Map<String, Generator> generators = model.namedGenerators();

        long first = 0;
        int bad = 0;
        double bestAuroc = Double.NEGATIVE_INFINITY;
        long bestStep = -1;
        if (resume) {
            Optional<Path> latest = store.latest();
            if (latest.isPresent()) {
                Path dir = latest.get();
                String saved = Files.readString(dir.resolve(CheckpointStore.CONFIG));
                if (!MetricsLog.JSON.readTree(saved).path("model").equals(MetricsLog.JSON.readTree(configJson).path("model"))) {
                    throw new ModelFormatException(dir.resolve(CheckpointStore.CONFIG).toString(),
                            "the checkpoint's model settings differ from this run's: resume with the same preset and config");
                }
                Checkpoints.loadWeights(dir.resolve(CheckpointStore.WEIGHTS), model, true);
                Checkpoints.loadTrainingState(dir.resolve(CheckpointStore.TRAINING_STATE), optimizer, generators);
                JsonNode t = MetricsLog.JSON.readTree(dir.resolve(CheckpointStore.TRAINER).toFile());
                first = t.path("step").asLong();
                bad = t.path("skippedSteps").asInt();
                bestAuroc = t.path("bestAuroc").isNumber() ? t.path("bestAuroc").asDouble() : Double.NEGATIVE_INFINITY;
                bestStep = t.path("bestStep").asLong(-1);
                listener.message("resumed from " + dir + " at step " + first);
            } else {
                listener.message("nothing to resume in " + out + ": starting from step 0");
            }
        }
        if (ranks.rank() > 0) {
            // Every rank builds (or loads) the same generators; unchanged they would drop the same units for
            // row i of every rank. Rank r > 0 runs its own stream, derived from rank 0's state (which is what
            // checkpoints hold), so a resumed run derives the same streams again.
            for (Generator g : generators.values()) {
                long[] state = g.state();
                g.setState(new long[] {BatchLoader.mix(state[0], ranks.rank()), state[1]});
            }
        }
        boolean lead = ranks.rank() == 0;   // the rank that validates and writes
        if (lead) {
            text.entities().write(out.resolve(CheckpointStore.ENTITIES));
            Files.writeString(out.resolve(CheckpointStore.CONFIG), configJson);
        }

        Map<String, Double> seconds = new LinkedHashMap<>();
        for (String k : new String[] {"waiting for data", "forward", "backward", "optimizer", "validation", "checkpoints"}) {
            seconds.put(k, 0.0);
        }
        long start = System.nanoTime();
        long samples = 0;
        int patches = modelConfig.encoder().patchesPerLead();
        Validator validator = new Validator(validation, text, config.batchSize(), patches, device);
        listener.started(first, config.steps());
        try (MetricsLog log = lead ? MetricsLog.open(out.resolve("metrics.jsonl"), first) : null;
             BatchLoader loader = new BatchLoader(train, text.trainReports(), text.textDim(), text.trainEntityRows(),
                     config.batchSize(), patches, modelConfig.masking(), config.seed(), config.loaderThreads(),
                     2 * config.loaderThreads(), first, ranks.rank(), ranks.worldSize());
             TensorScope runScope = TensorScope.open()) {
            Tensor entityText = text.entityText().moveTo(device);
            for (long step = first; step < config.steps(); step++) {
                long t0 = System.nanoTime();
                Batch batch = loader.next();
                long t1 = System.nanoTime();
                add(seconds, "waiting for data", t1 - t0);
                boolean skipped;
                double loss;
                double contrastive;
                double entity;
                double gradNorm = Double.NaN;
                double lr = config.lr() * schedule.factor(step);
                try (TensorScope scope = TensorScope.open()) {
                    KmerlModel.Losses losses = model.losses(batch.signalTensor(device), batch.layout(patches, device),
                            batch.reportTensor(device), entityText, batch.labelTensor(device), ranks);
                    loss = losses.total().item();
                    contrastive = losses.contrastive().item();
                    entity = losses.entity().item();
                    long t2 = System.nanoTime();
                    add(seconds, "forward", t2 - t1);
                    skipped = DataParallel.anyRank(!Double.isFinite(loss), ranks);
                    if (!skipped) {
                        optimizer.zeroGrad();
                        losses.total().backward();
                        DataParallel.averageGradients(model.trainableParameters(), ranks);
                        long t3 = System.nanoTime();
                        add(seconds, "backward", t3 - t2);
                        gradNorm = config.clipNorm() > 0
                                ? GradClip.clipGradNorm(model.trainableParameters(), config.clipNorm()).item()
                                : Double.NaN;
                        skipped = config.clipNorm() > 0 && !Double.isFinite(gradNorm);
                        if (!skipped) {
                            optimizer.setLrFactor(schedule.factor(step));
                            optimizer.step();
                        } else {
                            optimizer.zeroGrad();
                        }
                        add(seconds, "optimizer", System.nanoTime() - t3);
                    }
                }
                samples += (long) batch.size() * ranks.worldSize();
                loss = DataParallel.mean(loss, ranks);   // the global batch's (the entity term differs by rank)
                entity = DataParallel.mean(entity, ranks);
                double elapsed = (System.nanoTime() - start) / 1e9;
                ObjectNode line = MetricsLog.line("step", step + 1);
                line.put("loss", loss).put("contrastive", contrastive).put("entity", entity).put("lr", lr);
                line.put("grad_norm", gradNorm).put("seconds", elapsed).put("skipped", skipped);
                if (lead) {
                    log.write(line);
                }
                listener.stepped(new TrainingListener.Step(step + 1, config.steps(), loss, contrastive, entity, lr,
                        gradNorm, samples / elapsed, skipped));
                if (skipped) {
                    bad++;
                    listener.message(String.format("step %d skipped: non-finite %s (%d of at most %d)", step + 1,
                            Double.isFinite(loss) ? "gradient" : "loss", bad, config.maxBadSteps()));
                    if (bad >= config.maxBadSteps()) {
                        throw new IllegalStateException("stopped after " + bad + " steps with a non-finite loss or "
                                + "gradient (maxBadSteps " + config.maxBadSteps() + "); the last checkpoint is intact: "
                                + "lower the learning rate and resume");
                    }
                }
                boolean last = step + 1 == config.steps();
                boolean newBest = false;
                if (lead && ((step + 1) % config.evalEvery() == 0 || last)) {
                    long v0 = System.nanoTime();
                    Validator.Result v = validator.run(model);
                    newBest = Double.isFinite(v.aurocQuery()) && v.aurocQuery() > bestAuroc;
                    if (newBest) {
                        bestAuroc = v.aurocQuery();
                        bestStep = step + 1;
                    }
                    ObjectNode vl = MetricsLog.line("validation", step + 1);
                    vl.put("loss", v.loss()).put("contrastive", v.contrastive()).put("entity", v.entity());
                    vl.put("auroc_query", v.aurocQuery()).put("auroc_similarity", v.aurocSimilarity());
                    ObjectNode perClass = vl.putObject("auroc_query_per_class");
                    for (int k = 0; k < v.perClassQuery().length; k++) {
                        perClass.put(text.classCodes().get(k), v.perClassQuery()[k]);
                    }
                    Map<String, Double> byLeads = new LinkedHashMap<>();
                    ObjectNode queryLeads = vl.putObject("auroc_query_leads");
                    ObjectNode similarityLeads = vl.putObject("auroc_similarity_leads");
                    for (String set : config.validationLeads()) {
                        Validator.Result partial = validator.run(model, Lead.parseList(set));
                        byLeads.put(set, partial.aurocQuery());
                        queryLeads.put(set, partial.aurocQuery());
                        similarityLeads.put(set, partial.aurocSimilarity());
                    }
                    add(seconds, "validation", System.nanoTime() - v0);
                    log.write(vl);
                    listener.validated(new TrainingListener.Validation(step + 1, v.loss(), v.contrastive(), v.entity(),
                            v.aurocQuery(), v.aurocSimilarity(), newBest, byLeads));
                }
                boolean checkpoint = (step + 1) % config.checkpointEvery() == 0 || last;
                if (lead && (checkpoint || newBest)) {
                    long c0 = System.nanoTime();
                    ObjectNode state = MetricsLog.JSON.createObjectNode();
                    state.put("step", step + 1).put("skippedSteps", bad).put("bestStep", bestStep);
                    if (Double.isFinite(bestAuroc)) {
                        state.put("bestAuroc", bestAuroc);
                    }
                    CheckpointStore.Contents contents = new CheckpointStore.Contents(model, optimizer, generators, state,
                            configJson, text.entities());
                    if (checkpoint) {
                        listener.checkpointed(store.save(step + 1, contents));
                    }
                    if (newBest) {
                        store.saveBest(contents);
                    }
                    add(seconds, "checkpoints", System.nanoTime() - c0);
                }
            }
        }
        double wall = (System.nanoTime() - start) / 1e9;
        Summary summary = new Summary(first, config.steps() - first, bad, wall, samples / Math.max(wall, 1e-9), seconds,
                bestAuroc, bestStep, out);
        if (lead) {
            ObjectNode s = MetricsLog.JSON.valueToTree(summary);
            s.put("out", out.toString());
            Files.writeString(out.resolve("summary.json"), s.toPrettyString());
        }
        return summary;
    }

    private static void add(Map<String, Double> seconds, String key, long nanos) {
        seconds.merge(key, nanos / 1e9, Double::sum);
    }
}
