package org.kmerl.model.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.kmerl.tensor.io.AtomicFiles;

/**
 * Training curves from a run's metrics.jsonl as a PNG: the loss terms per step (a moving average of
 * the training losses, validation losses as markers) and the validation zero-shot AUROC of both
 * scoring methods. Plain Java2D: two line charts do not need a charting library.
 */
public final class TrainingCurves {
    private static final int W = 1200;
    private static final int H = 480;
    private static final Color[] COLORS = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189)};

    private TrainingCurves() {
    }

    private record Series(String name, List<double[]> points, boolean markers) {
    }

    public static void write(Path metrics, Path png, String title) throws IOException {
        List<JsonNode> lines = MetricsLog.read(metrics);
        List<Series> losses = new ArrayList<>();
        for (String key : new String[] {"loss", "contrastive", "entity"}) {
            losses.add(new Series("train " + key, smooth(points(lines, "step", key), 25), false));
        }
        losses.add(new Series("validation loss", points(lines, "validation", "loss"), true));
        List<Series> auroc = new ArrayList<>(List.of(
                new Series("query network, 12 leads", points(lines, "validation", "auroc_query"), true),
                new Series("ECG-text similarity, 12 leads", points(lines, "validation", "auroc_similarity"), true)));
        for (String set : leadSets(lines)) {
            auroc.add(new Series("query network, " + set, points(lines, "validation", "auroc_query_leads", set), true));
        }
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, 20, 26);
        panel(g, 70, 50, W / 2 - 110, H - 110, "loss", losses, Double.NaN, true);
        panel(g, W / 2 + 60, 50, W / 2 - 110, H - 110, "validation macro AUROC", auroc, 0.5, false);
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

    /** One chart; the legend goes top right ({@code legendTop}: losses fall) or bottom right (AUROC rises). */
    private static void panel(Graphics2D g, int x0, int y0, int w, int h, String yLabel, List<Series> series,
                              double reference, boolean legendTop) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double[] p : s.points()) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                minY = Math.min(minY, p[1]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        if (!Double.isNaN(reference)) {
            minY = Math.min(minY, reference);
            maxY = Math.max(maxY, reference);
        }
        if (!(maxX > minX)) {
            maxX = minX + 1;
        }
        if (!(maxY > minY)) {
            maxY = minY + 1;
        }
        double padY = (maxY - minY) * 0.05;
        minY -= padY;
        maxY += padY;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(new Color(235, 235, 235));
        for (int i = 0; i <= 5; i++) {
            int y = y0 + h - i * h / 5;
            g.drawLine(x0, y, x0 + w, y);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(x0, y0, w, h);
        for (int i = 0; i <= 5; i++) {
            double v = minY + i * (maxY - minY) / 5;
            g.drawString(String.format(Locale.ROOT, "%.2f", v), x0 - 45, y0 + h - i * h / 5 + 4);
            double s = minX + i * (maxX - minX) / 5;
            g.drawString(String.format(Locale.ROOT, "%.0f", s), x0 + i * w / 5 - 12, y0 + h + 18);
        }
        g.drawString("step", x0 + w / 2 - 12, y0 + h + 36);
        g.drawString(yLabel, x0, y0 - 8);
        if (!Double.isNaN(reference)) {
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            int y = (int) (y0 + h - (reference - minY) / (maxY - minY) * h);
            g.drawLine(x0, y, x0 + w, y);
            g.drawString("chance", x0 + w - 50, y - 4);
        }
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            g.setColor(COLORS[k % COLORS.length]);
            g.setStroke(new BasicStroke(2f));
            Path2D.Double path = new Path2D.Double();
            boolean started = false;
            for (double[] p : s.points()) {
                double px = x0 + (p[0] - minX) / (maxX - minX) * w;
                double py = y0 + h - (p[1] - minY) / (maxY - minY) * h;
                if (s.markers()) {
                    g.fillOval((int) px - 4, (int) py - 4, 8, 8);
                }
                if (started) {
                    path.lineTo(px, py);
                } else {
                    path.moveTo(px, py);
                    started = true;
                }
            }
            g.draw(path);
            int ly = legendTop ? y0 + 16 + 16 * k : y0 + h - 30 - 16 * (series.size() - 1 - k);
            g.fillRect(x0 + w - 250, ly - 8, 14, 4);
            g.drawString(s.name(), x0 + w - 230, ly - 2);
        }
        g.setStroke(new BasicStroke(1f));
    }
}
