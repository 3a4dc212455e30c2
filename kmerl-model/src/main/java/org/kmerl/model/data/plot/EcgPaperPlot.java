package org.kmerl.model.data.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import javax.imageio.ImageIO;
import org.kmerl.model.data.EcgRecord;
import org.kmerl.model.data.Lead;

/**
 * A 12-lead ECG drawn as on paper: 25 mm/s, 10 mm/mV, 1 mm and 5 mm grid, a 1 mV calibration pulse
 * at the start of each row, the standard 3 x 4 layout (I, aVR, V1, V4 / II, aVL, V2, V5 / III, aVF, V3,
 * V6; 2.5 s each) and a 10 s lead II rhythm strip underneath. Leads the record lacks leave their cell
 * empty and labelled "(absent)". Written as PNG (headless AWT).
 */
public final class EcgPaperPlot {
    private static final Lead[][] LAYOUT = {
        {Lead.I, Lead.AVR, Lead.V1, Lead.V4},
        {Lead.II, Lead.AVL, Lead.V2, Lead.V5},
        {Lead.III, Lead.AVF, Lead.V3, Lead.V6},
    };
    private static final double MM_PER_SECOND = 25;
    private static final double MM_PER_MV = 10;
    private static final int PX_PER_MM = 8;
    private static final int ROW_MM = 30;
    private static final int LEFT_MM = 12;
    private static final int TOP_MM = 18;
    private static final Color MINOR = new Color(255, 214, 214);
    private static final Color MAJOR = new Color(240, 150, 150);

    private EcgPaperPlot() {
    }

    /** The plot of {@code record} (its first 10 s) under a title line. */
    public static BufferedImage render(EcgRecord record, String title) {
        double seconds = 10;
        int widthMm = LEFT_MM + (int) (seconds * MM_PER_SECOND) + 4;
        int heightMm = TOP_MM + 4 * ROW_MM + 6;
        BufferedImage img = new BufferedImage(widthMm * PX_PER_MM, heightMm * PX_PER_MM, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        grid(g, widthMm, heightMm);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 5 * PX_PER_MM));
        g.drawString(title, 2 * PX_PER_MM, 7 * PX_PER_MM);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 3 * PX_PER_MM));
        g.drawString(String.format("25 mm/s, 10 mm/mV, %s Hz", trim(record.samplingRate())), 2 * PX_PER_MM,
                13 * PX_PER_MM);
        for (int row = 0; row < 3; row++) {
            double baseline = TOP_MM + row * ROW_MM + ROW_MM / 2.0;
            calibration(g, baseline);
            for (int col = 0; col < 4; col++) {
                double start = col * 2.5;
                trace(g, record, LAYOUT[row][col], start, 2.5, LEFT_MM + start * MM_PER_SECOND, baseline);
            }
        }
        double rhythm = TOP_MM + 3 * ROW_MM + ROW_MM / 2.0;
        calibration(g, rhythm);
        trace(g, record, Lead.II, 0, seconds, LEFT_MM, rhythm);
        g.dispose();
        return img;
    }

    public static void write(EcgRecord record, String title, Path png) throws IOException {
        BufferedImage img = render(record, title);
        Path tmp = png.toAbsolutePath().resolveSibling(png.getFileName() + ".tmp");
        if (!ImageIO.write(img, "png", tmp.toFile())) {
            throw new IOException("no PNG writer in this Java runtime");
        }
        Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void grid(Graphics2D g, int widthMm, int heightMm) {
        for (int mm = 0; mm <= Math.max(widthMm, heightMm); mm++) {
            g.setColor(mm % 5 == 0 ? MAJOR : MINOR);
            g.setStroke(new BasicStroke(mm % 5 == 0 ? 1.6f : 0.8f));
            if (mm <= widthMm) {
                g.drawLine(mm * PX_PER_MM, 0, mm * PX_PER_MM, heightMm * PX_PER_MM);
            }
            if (mm <= heightMm) {
                g.drawLine(0, mm * PX_PER_MM, widthMm * PX_PER_MM, mm * PX_PER_MM);
            }
        }
    }

    /** The 1 mV, 0.2 s calibration pulse before a row. */
    private static void calibration(Graphics2D g, double baselineMm) {
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(2f));
        Path2D p = new Path2D.Double();
        double x0 = 2;
        p.moveTo(px(x0), px(baselineMm));
        p.lineTo(px(x0 + 1), px(baselineMm));
        p.lineTo(px(x0 + 1), px(baselineMm - MM_PER_MV));
        p.lineTo(px(x0 + 1 + 0.2 * MM_PER_SECOND), px(baselineMm - MM_PER_MV));
        p.lineTo(px(x0 + 1 + 0.2 * MM_PER_SECOND), px(baselineMm));
        p.lineTo(px(x0 + 2 + 0.2 * MM_PER_SECOND), px(baselineMm));
        g.draw(p);
    }

    private static void trace(Graphics2D g, EcgRecord r, Lead lead, double startS, double lengthS, double xMm,
                              double baselineMm) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 3 * PX_PER_MM));
        float[] x = r.lead(lead);
        g.drawString(lead.label() + (x == null ? " (absent)" : ""), px(xMm + 1), px(baselineMm - 9));
        if (x == null) {
            return;
        }
        int from = (int) Math.round(startS * r.samplingRate());
        int to = Math.min(x.length, (int) Math.round((startS + lengthS) * r.samplingRate()));
        double mean = centre(x, from, to);
        g.setStroke(new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D p = new Path2D.Double();
        boolean pen = false;
        for (int i = from; i < to; i++) {
            if (!Float.isFinite(x[i])) {
                pen = false;
                continue;
            }
            double px = px(xMm + (i - from) / r.samplingRate() * MM_PER_SECOND);
            double py = px(baselineMm - (x[i] - mean) * MM_PER_MV);
            if (pen) {
                p.lineTo(px, py);
            } else {
                p.moveTo(px, py);
                pen = true;
            }
        }
        g.draw(p);
    }

    /** The median of the drawn samples, so that an offset or slow drift does not push a trace off its row. */
    private static double centre(float[] x, int from, int to) {
        float[] part = new float[Math.max(0, to - from)];
        int n = 0;
        for (int i = from; i < to; i++) {
            if (Float.isFinite(x[i])) {
                part[n++] = x[i];
            }
        }
        if (n == 0) {
            return 0;
        }
        float[] sorted = java.util.Arrays.copyOf(part, n);
        java.util.Arrays.sort(sorted);
        return sorted[n / 2];
    }

    private static int px(double mm) {
        return (int) Math.round(mm * PX_PER_MM);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** The lead cells in plotting order (for tests and overlays). */
    public static List<Lead> layoutOrder() {
        return List.of(LAYOUT[0][0], LAYOUT[1][0], LAYOUT[2][0], LAYOUT[0][1], LAYOUT[1][1], LAYOUT[2][1], LAYOUT[0][2],
                LAYOUT[1][2], LAYOUT[2][2], LAYOUT[0][3], LAYOUT[1][3], LAYOUT[2][3]);
    }
}
