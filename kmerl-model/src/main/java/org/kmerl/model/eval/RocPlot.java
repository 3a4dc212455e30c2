package org.kmerl.model.eval;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.kmerl.model.data.plot.LineChart;
import org.kmerl.tensor.io.AtomicFiles;

/** ROC curves: the (false-positive rate, true-positive rate) steps of a score, and a PNG of a task's classes. */
public final class RocPlot {
    /** At most this many classes are drawn (the ones with most test positives), so the legend stays readable. */
    static final int MAX_CURVES = 10;

    private RocPlot() {
    }

    /** The ROC curve from (0, 0) to (1, 1), one point per distinct score (tied scores move both rates at once). */
    public static List<double[]> curve(double[] scores, boolean[] positive) {
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        long pos = 0;
        for (boolean p : positive) {
            pos += p ? 1 : 0;
        }
        long neg = scores.length - pos;
        List<double[]> out = new ArrayList<>();
        out.add(new double[] {0, 0});
        long tp = 0;
        long fp = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j < order.length && scores[order[j]] == scores[order[i]]) {
                if (positive[order[j]]) {
                    tp++;
                } else {
                    fp++;
                }
                j++;
            }
            out.add(new double[] {neg == 0 ? 0 : (double) fp / neg, pos == 0 ? 0 : (double) tp / pos});
            i = j;
        }
        return out;
    }

    /** One PNG: a curve per class of {@code scores} (with AUROC in the legend), the test split's scores. */
    public static void write(Path png, String title, EvalTask task, TaskScores scores, float[][] test, boolean[][] labels)
            throws IOException {
        List<TaskScores.ClassScore> drawn = new ArrayList<>(scores.classes());
        drawn.sort(Comparator.comparingInt(TaskScores.ClassScore::positives).reversed());
        drawn = drawn.subList(0, Math.min(MAX_CURVES, drawn.size()));
        List<LineChart.Series> series = new ArrayList<>();
        for (TaskScores.ClassScore c : drawn) {
            int k = task.classCodes().indexOf(c.code());
            series.add(new LineChart.Series(String.format(Locale.ROOT, "%s %.3f (n+=%d)", c.code(), c.auroc(),
                    c.positives()), curve(TaskScores.column(test, k), TaskScores.column(labels, k)), false));
        }
        int w = 760;
        int h = 640;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = LineChart.canvas(image, title);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(String.format(Locale.ROOT, "macro AUROC %.3f [%.3f, %.3f] over %d classes, %d test records",
                scores.macroAuroc(), scores.macroLow(), scores.macroHigh(), scores.classes().size(), scores.testRecords()),
                20, 42);
        LineChart.draw(g, 70, 70, w - 110, h - 130, "false-positive rate", "true-positive rate", series,
                LineChart.Axes.unitSquare(), false);
        g.dispose();
        AtomicFiles.write(png, out -> ImageIO.write(image, "png", out));
    }
}
