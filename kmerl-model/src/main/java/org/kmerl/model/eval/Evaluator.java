package org.kmerl.model.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import org.kmerl.model.pretrain.PretrainedModel;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.Tensor;

/**
 * The three evaluations of a pretrained model on one dataset: zero-shot (both scoring paths), linear
 * probing at fractions of the training split, and partial leads (each lead view against the
 * zero-filled baseline). Features are computed once per lead view (and cached under
 * {@code out/features}); every score is reported on the test split, with thresholds and probe
 * selection from the validation split.
 */
public final class Evaluator {
    /** A progress display for one long job. */
    public interface Bar extends IntConsumer, AutoCloseable {
        @Override
        void close();
    }

    /** Opens progress displays (a terminal bar, a log line, or nothing). */
    @FunctionalInterface
    public interface Bars {
        Bar open(String task, int total);
    }

    /** One line of results: how the model was asked ({@code view}, {@code method}, {@code setting}) and the scores. */
    public record Row(String view, String method, String setting, TaskScores scores) {
    }

    public static final String QUERY = "query network";
    public static final String SIMILARITY = "ECG-text similarity";

    private final PretrainedModel model;
    private final Device device;
    private final EvalDataset dataset;
    private final EcgInputs inputs;
    private final Tensor classText;
    private final Path out;
    private final long seed;
    private final Bars bars;
    private final Map<String, Features> features = new HashMap<>();
    private final List<Path> plots = new ArrayList<>();

    /**
     * @param classText [all class texts of the dataset's tasks, textDim]: their text-encoder embeddings,
     *                  in {@link EvalDataset#allClassTexts} order
     */
    public Evaluator(PretrainedModel model, Device device, EvalDataset dataset, EcgInputs inputs, Tensor classText,
                     Path out, long seed, Bars bars) {
        this.model = model;
        this.device = device;
        this.dataset = dataset;
        this.inputs = inputs;
        this.classText = classText;
        this.out = out;
        this.seed = seed;
        this.bars = bars;
    }

    public List<Path> plots() {
        return List.copyOf(plots);
    }

    /** The features of every record under {@code view} (computed on first use, then from memory or the cache). */
    public Features features(LeadView view) throws IOException {
        Features f = features.get(view.key());
        if (f == null) {
            try (Bar bar = bars.open("features " + view.label(), inputs.size())) {
                f = Features.of(model, device, dataset, inputs, view, classText,
                        out.resolve("features").resolve(view.key() + ".safetensors"), bar);
            }
            features.put(view.key(), f);
        }
        return f;
    }

    /** Zero-shot scores of every task through both paths under {@code view}; ROC plots of each. */
    public List<Row> zeroShot(LeadView view, boolean plot) throws IOException {
        Features f = features(view);
        List<Row> rows = new ArrayList<>();
        for (EvalTask task : dataset.tasks()) {
            for (String method : List.of(QUERY, SIMILARITY)) {
                float[][] scores = method.equals(QUERY) ? f.query() : f.similarity();
                TaskScores s = score(task, method, scores, dataset.columnOffset(task));
                rows.add(new Row(view.label(), method, "zero-shot", s));
                if (plot && !s.classes().isEmpty()) {
                    Path png = out.resolve(String.format(Locale.ROOT, "roc-%s-%s-%s.png", task.name(),
                            method.equals(QUERY) ? "query" : "similarity", view.key()));
                    int[] test = dataset.indices(EvalRecord.Split.TEST);
                    RocPlot.write(png, String.format(Locale.ROOT, "%s, zero-shot through the %s, leads: %s", task.name(),
                            method, view.label()), task, s, EvalDataset.slice(scores, test, dataset.columnOffset(task),
                            task.classes()), EvalDataset.rows(task.labels(), test));
                    plots.add(png);
                }
            }
        }
        return rows;
    }

    /** The test-split scores of one task's columns of {@code scores}, thresholds from the validation split. */
    private TaskScores score(EvalTask task, String method, float[][] scores, int offset) {
        int[] test = dataset.indices(EvalRecord.Split.TEST);
        int[] val = dataset.indices(EvalRecord.Split.VALIDATION);
        return TaskScores.of(task, method, EvalDataset.slice(scores, test, offset, task.classes()),
                EvalDataset.rows(task.labels(), test), EvalDataset.slice(scores, val, offset, task.classes()),
                EvalDataset.rows(task.labels(), val), seed);
    }

    /**
     * Linear probes on the pooled features under {@code view}: each fraction of the training split,
     * {@code smallSeeds} draws for fractions below 5% and one draw otherwise.
     */
    public List<Row> probe(LeadView view, double[] fractions, int smallSeeds) throws IOException {
        int[] train = dataset.indices(EvalRecord.Split.TRAIN);
        int[] val = dataset.indices(EvalRecord.Split.VALIDATION);
        int[] test = dataset.indices(EvalRecord.Split.TEST);
        if (train.length < 2 || test.length == 0) {
            throw new IllegalArgumentException(dataset.description() + ": linear probing needs training and test records "
                    + "(has " + train.length + " train, " + val.length + " validation, " + test.length + " test)");
        }
        Features f = features(view);
        List<Row> rows = new ArrayList<>();
        for (EvalTask task : dataset.tasks()) {
            for (double fraction : fractions) {
                int draws = fraction < 0.05 ? smallSeeds : 1;
                for (int d = 0; d < draws; d++) {
                    int[] subset = LinearProbe.subset(train, fraction, seed + d);
                    LinearProbe.Result r = LinearProbe.fit(f.pooled(), task.labels(), subset, val, test, seed + d);
                    TaskScores s = TaskScores.of(task, "linear probe", r.test(), EvalDataset.rows(task.labels(), test),
                            r.validation(), EvalDataset.rows(task.labels(), val), seed);
                    rows.add(new Row(view.label(), "linear probe", String.format(Locale.ROOT,
                            "%s%% of train (%d records), draw %d, weight decay %.0e, epoch %d", percent(fraction),
                            r.trainRecords(), d, r.weightDecay(), r.epoch()), s));
                }
            }
        }
        return rows;
    }

    /** Zero-shot under every view, each with its zero-filled twin when {@code baseline} (views of all 12 leads have none). */
    public List<Row> leads(List<LeadView> views, boolean baseline) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (LeadView v : views) {
            rows.addAll(zeroShot(v, false));
            if (baseline && !v.all()) {
                rows.addAll(zeroShot(new LeadView(v.name(), v.leads(), true), false));
            }
        }
        return rows;
    }

    static String percent(double fraction) {
        double p = fraction * 100;
        return p == Math.rint(p) ? String.format(Locale.ROOT, "%.0f", p) : String.format(Locale.ROOT, "%.1f", p);
    }
}
