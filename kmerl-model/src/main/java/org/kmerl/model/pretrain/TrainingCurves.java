package org.kmerl.model.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.kmerl.model.data.plot.LineChart;
import org.kmerl.tensor.io.AtomicFiles;

/**
 * Training curves from a run's metrics.jsonl as a PNG: the loss terms per step (a moving average of
 * the training losses, validation losses as markers) and the validation zero-shot AUROC of both
 * scoring methods. Plain Java2D: two line charts do not need a charting library.
 */
public final class TrainingCurves {
    private static final int W = 1200;
    private static final int H = 480;

    private TrainingCurves() {
    }

    public static void write(Path metrics, Path png, String title) throws IOException {
        List<JsonNode> lines = MetricsLog.read(metrics);
        List<LineChart.Series> losses = new ArrayList<>();
        for (String key : new String[] {"loss", "contrastive", "entity"}) {
            losses.add(new LineChart.Series("train " + key, smooth(points(lines, "step", key), 25), false));
        }
        losses.add(new LineChart.Series("validation loss", points(lines, "validation", "loss"), true));
        List<LineChart.Series> auroc = new ArrayList<>(List.of(
                new LineChart.Series("query network, 12 leads", points(lines, "validation", "auroc_query"), true),
                new LineChart.Series("ECG-text similarity, 12 leads", points(lines, "validation", "auroc_similarity"), true)));
        for (String set : leadSets(lines)) {
            auroc.add(new LineChart.Series("query network, " + set, points(lines, "validation", "auroc_query_leads", set), true));
        }
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = LineChart.canvas(image, title);
        LineChart.draw(g, 70, 50, W / 2 - 110, H - 110, "step", "loss", losses, LineChart.Axes.auto(Double.NaN), true);
        LineChart.draw(g, W / 2 + 60, 50, W / 2 - 110, H - 110, "step", "validation macro AUROC", auroc,
                LineChart.Axes.auto(0.5), false);
        g.dispose();
        AtomicFiles.write(png, out -> ImageIO.write(image, "png", out));
    }

    /** (step, value) of every line of {@code kind} whose value at {@code path} (nested keys) is a finite number. */
    static List<double[]> points(List<JsonNode> lines, String kind, String... path) {
        List<double[]> out = new ArrayList<>();
        for (JsonNode n : lines) {
            JsonNode v = n;
            for (String key : path) {
                v = v.path(key);
            }
            if (n.path("kind").asText().equals(kind) && v.isNumber() && Double.isFinite(v.asDouble())) {
                out.add(new double[] {n.path("step").asDouble(), v.asDouble()});
            }
        }
        return out;
    }

    /** The partial-lead sets the validations logged, in order of appearance. */
    static List<String> leadSets(List<JsonNode> lines) {
        java.util.LinkedHashSet<String> sets = new java.util.LinkedHashSet<>();
        for (JsonNode n : lines) {
            n.path("auroc_query_leads").fieldNames().forEachRemaining(sets::add);
        }
        return new ArrayList<>(sets);
    }

    static List<double[]> smooth(List<double[]> pts, int window) {
        List<double[]> out = new ArrayList<>();
        double sum = 0;
        for (int i = 0; i < pts.size(); i++) {
            sum += pts.get(i)[1];
            if (i >= window) {
                sum -= pts.get(i - window)[1];
            }
            out.add(new double[] {pts.get(i)[0], sum / Math.min(i + 1, window)});
        }
        return out;
    }
}
