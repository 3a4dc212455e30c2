package org.kmerl.model.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.kmerl.autograd.Functional;
import org.kmerl.autograd.GradMode;
import org.kmerl.autograd.Variable;
import org.kmerl.nn.Linear;
import org.kmerl.optim.AdamW;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;
import org.kmerl.tensor.backend.LossReduction;

/**
 * A linear head on frozen features: one logistic regression per class (a [features, classes] linear
 * layer with a sigmoid BCE loss), trained full-batch with AdamW on standardised features. Model
 * selection uses the validation split only: for each weight decay of {@link #WEIGHT_DECAYS} the
 * epoch with the best validation macro AUROC is kept, then the best of those (MERL chose its epoch
 * and thresholds on the test set; this never looks at it).
 */
public final class LinearProbe {
    static final double[] WEIGHT_DECAYS = {1e-4, 1e-2, 1e-1};
    static final int EPOCHS = 300;
    static final int CHECK_EVERY = 10;
    static final double LR = 1e-2;

    /** The chosen head's logits for the validation and test records, and what was chosen. */
    public record Result(float[][] validation, float[][] test, double weightDecay, int epoch, double validationAuroc,
                         int trainRecords) {
    }

    private LinearProbe() {
    }

    /** {@code fraction} of the training rows, drawn with {@code seed}, at least 2. */
    public static int[] subset(int[] train, double fraction, long seed) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("probe fraction must be in (0, 1], got " + fraction);
        }
        int k = Math.max(2, (int) Math.round(fraction * train.length));
        if (k >= train.length) {
            return train.clone();
        }
        int[] shuffled = train.clone();
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        int[] out = Arrays.copyOf(shuffled, k);
        Arrays.sort(out);
        return out;
    }

    /**
     * @param features the pooled features of every record of the dataset
     * @param labels   the task's labels of every record
     */
    public static Result fit(float[][] features, boolean[][] labels, int[] train, int[] validation, int[] test, long seed) {
        int d = features[0].length;
        int c = labels[0].length;
        double[] mean = new double[d];
        double[] std = new double[d];
        for (int i : train) {
            for (int j = 0; j < d; j++) {
                mean[j] += features[i][j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= train.length;
        }
        for (int i : train) {
            for (int j = 0; j < d; j++) {
                std[j] += (features[i][j] - mean[j]) * (features[i][j] - mean[j]);
            }
        }
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(std[j] / train.length) + 1e-6;
        }
        try (TensorScope scope = TensorScope.open()) {
            Tensor xTrain = standardised(features, train, mean, std);
            Tensor xVal = standardised(features, validation, mean, std);
            Tensor xTest = standardised(features, test, mean, std);
            Tensor yTrain = targets(labels, train);
            boolean[][] yVal = EvalDataset.rows(labels, validation);
            Result best = null;
            for (double wd : WEIGHT_DECAYS) {
                Linear head = new Linear(d, c, true, new Generator(seed));
                AdamW optimizer = AdamW.of(head.namedParameters(), LR, wd);
                Map<String, Tensor> bestState = null;
                double bestAuroc = Double.NEGATIVE_INFINITY;
                int bestEpoch = 0;
                for (int epoch = 1; epoch <= EPOCHS; epoch++) {
                    try (TensorScope step = TensorScope.open()) {
                        optimizer.zeroGrad();
                        Variable loss = Functional.bceWithLogits(head.forward(Variable.constant(xTrain)), yTrain, null,
                                LossReduction.MEAN);
                        loss.backward();
                        optimizer.step();
                    }
                    if (epoch % CHECK_EVERY == 0) {
                        double auroc = validation.length == 0 ? epoch : Auroc.macro(Auroc.perClass(logits(head, xVal), yVal));
                        if (auroc > bestAuroc || Double.isNaN(bestAuroc)) {
                            bestAuroc = auroc;
                            bestEpoch = epoch;
                            bestState = snapshot(head);
                        }
                    }
                }
                if (best == null || bestAuroc > best.validationAuroc()) {
                    head.loadStateDict(bestState, true);
                    best = new Result(logits(head, xVal), logits(head, xTest), wd, bestEpoch,
                            validation.length == 0 ? Double.NaN : bestAuroc, train.length);
                }
            }
            return best;
        }
    }

    private static Map<String, Tensor> snapshot(Linear head) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        head.stateDict().forEach((k, v) -> copy.put(k, v.copy()));
        return copy;
    }

    private static float[][] logits(Linear head, Tensor x) {
        if (x.dim(0) == 0) {
            return new float[0][];
        }
        try (GradMode.Scope off = GradMode.disabled(); TensorScope s = TensorScope.open()) {
            Tensor out = head.forward(Variable.constant(x)).data();
            float[] v = out.toFloatArray();
            int c = out.dim(1);
            float[][] rows = new float[out.dim(0)][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = Arrays.copyOfRange(v, i * c, (i + 1) * c);
            }
            return rows;
        }
    }

    private static Tensor standardised(float[][] features, int[] rows, double[] mean, double[] std) {
        int d = mean.length;
        float[] flat = new float[rows.length * d];
        for (int r = 0; r < rows.length; r++) {
            for (int j = 0; j < d; j++) {
                flat[r * d + j] = (float) ((features[rows[r]][j] - mean[j]) / std[j]);
            }
        }
        return Tensor.of(flat, rows.length, d);
    }

    private static Tensor targets(boolean[][] labels, int[] rows) {
        int c = labels[0].length;
        float[] flat = new float[rows.length * c];
        for (int r = 0; r < rows.length; r++) {
            for (int k = 0; k < c; k++) {
                flat[r * c + k] = labels[rows[r]][k] ? 1f : 0f;
            }
        }
        return Tensor.of(flat, rows.length, c);
    }
}
