package org.kmerl.model.data.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.util.List;
import java.util.Locale;

/**
 * One line chart drawn with Java2D into a region of an image: series of (x, y) points, a dashed
 * reference (a horizontal line such as chance AUROC, or the diagonal of a ROC plot), gridlines, tick
 * labels and a legend. Used by the training curves and the ROC plots.
 */
public final class LineChart {
    public static final Color[] COLORS = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
        new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};

    private LineChart() {
    }

    /** Prepares {@code image}: white, with antialiasing on and {@code title} in bold at the top left. */
    public static Graphics2D canvas(java.awt.image.BufferedImage image, String title) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, 20, 25);
        return g;
    }

    /** A named series; {@code markers} draws a dot at each point. */
    public record Series(String name, List<double[]> points, boolean markers) {
    }

    /**
     * The axes: fixed ranges (NaN: from the data), a horizontal reference at {@code reference} (NaN: none)
     * or the diagonal y = x, and the reference's label.
     */
    public record Axes(double minX, double maxX, double minY, double maxY, double reference, boolean diagonal,
                       String referenceLabel) {
        public static Axes auto(double reference) {
            return new Axes(Double.NaN, Double.NaN, Double.NaN, Double.NaN, reference, false, "chance");
        }

        /** [0, 1] x [0, 1] with the chance diagonal, for ROC curves. */
        public static Axes unitSquare() {
            return new Axes(0, 1, 0, 1, Double.NaN, true, "chance");
        }
    }

    /** One chart; the legend goes top right ({@code legendTop}: curves fall) or bottom right (curves rise). */
    public static void draw(Graphics2D g, int x0, int y0, int w, int h, String xLabel, String yLabel, List<Series> series,
                            Axes axes, boolean legendTop) {
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
        if (!Double.isNaN(axes.reference())) {
            minY = Math.min(minY, axes.reference());
            maxY = Math.max(maxY, axes.reference());
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
        minX = Double.isNaN(axes.minX()) ? minX : axes.minX();
        maxX = Double.isNaN(axes.maxX()) ? maxX : axes.maxX();
        minY = Double.isNaN(axes.minY()) ? minY : axes.minY();
        maxY = Double.isNaN(axes.maxY()) ? maxY : axes.maxY();
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(new Color(235, 235, 235));
        for (int i = 0; i <= 5; i++) {
            int y = y0 + h - i * h / 5;
            g.drawLine(x0, y, x0 + w, y);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(x0, y0, w, h);
        boolean wholeX = maxX - minX >= 5;
        for (int i = 0; i <= 5; i++) {
            double v = minY + i * (maxY - minY) / 5;
            g.drawString(String.format(Locale.ROOT, "%.2f", v), x0 - 45, y0 + h - i * h / 5 + 4);
            double s = minX + i * (maxX - minX) / 5;
            g.drawString(String.format(Locale.ROOT, wholeX ? "%.0f" : "%.1f", s), x0 + i * w / 5 - 12, y0 + h + 18);
        }
        g.drawString(xLabel, x0 + w / 2 - 12, y0 + h + 36);
        g.drawString(yLabel, x0, y0 - 8);
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        if (axes.diagonal()) {
            g.drawLine(x0, y0 + h, x0 + w, y0);
        } else if (!Double.isNaN(axes.reference())) {
            int y = (int) (y0 + h - (axes.reference() - minY) / (maxY - minY) * h);
            g.drawLine(x0, y, x0 + w, y);
            g.drawString(axes.referenceLabel(), x0 + w - 50, y - 4);
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
