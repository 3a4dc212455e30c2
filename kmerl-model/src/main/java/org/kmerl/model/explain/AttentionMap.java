package org.kmerl.model.explain;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.kmerl.autograd.GradMode;
import org.kmerl.autograd.Variable;
import org.kmerl.model.data.EcgRecord;
import org.kmerl.model.data.Lead;
import org.kmerl.model.data.plot.LineChart;
import org.kmerl.model.ecg.EcgEncoderConfig;
import org.kmerl.model.ecg.EncoderInput;
import org.kmerl.model.ecg.TokenLayout;
import org.kmerl.model.ecg.TokenSelection;
import org.kmerl.model.kmerl.CardiacQueryNetwork;
import org.kmerl.model.kmerl.KmerlModel;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;
import org.kmerl.tensor.io.AtomicFiles;

/**
 * Where the cardiac query network looks: for one ECG and a few entity names, the cross-attention of
 * the last query layer (averaged over heads) from each entity to every (lead, patch) token, drawn as a
 * heat map under the 12-lead trace, one panel per entity, with the entity's probability.
 */
public final class AttentionMap {
    /** One entity: its name, probability, and attention [12][patches] (NaN where the record has no lead). */
    public record Entity(String name, double probability, double[][] attention) {
    }

    private final EcgRecord input;
    private final List<Entity> entities;
    private final int patchesPerLead;

    private AttentionMap(EcgRecord input, List<Entity> entities, int patchesPerLead) {
        this.input = input;
        this.entities = entities;
        this.patchesPerLead = patchesPerLead;
    }

    public List<Entity> entities() {
        return entities;
    }

    /**
     * @param names      entity names, embedded into {@code nameText} [names, textDim] by the caller
     * @param top        keep the {@code top} most probable of them (all when 0 or more than there are)
     */
    public static AttentionMap of(KmerlModel model, Device device, EcgRecord record, List<String> names, Tensor nameText,
                                  int top) {
        EcgEncoderConfig enc = model.config().encoder();
        EcgRecord r = record.standardOrder();
        EcgRecord x = EncoderInput.preprocessor(enc, r.leads()).apply(r, 0);
        int length = enc.samples();
        int ppl = enc.patchesPerLead();
        float[] signal = new float[12 * length];
        EncoderInput.place(x.leads(), x.signals(), length, signal, 0);
        List<Entity> out = new ArrayList<>();
        try (GradMode.Scope off = GradMode.disabled(); TensorScope scope = TensorScope.open()) {
            CardiacQueryNetwork.Explanation e = model.explain(Tensor.of(signal, 1, 12, length).moveTo(device),
                    TokenLayout.of(List.of(TokenSelection.all(x.leads(), ppl)), ppl, device), nameText.to(device));
            float[] logits = e.logits().data().toFloatArray();
            Variable last = e.crossAttention().get(e.crossAttention().size() - 1);   // [1, H, Q, T]
            float[] w = last.mean(1).data().toFloatArray();                           // [1, Q, T]
            int t = last.dim(3);
            for (int q = 0; q < names.size(); q++) {
                double[][] grid = new double[12][ppl];
                for (double[] row : grid) {
                    java.util.Arrays.fill(row, Double.NaN);
                }
                for (int j = 0; j < t; j++) {
                    grid[x.leads().get(j / ppl).ordinal()][j % ppl] = w[q * t + j];
                }
                out.add(new Entity(names.get(q), 1 / (1 + Math.exp(-logits[q])), grid));
            }
        }
        out.sort(Comparator.comparingDouble(Entity::probability).reversed());
        return new AttentionMap(x, top > 0 && top < out.size() ? List.copyOf(out.subList(0, top)) : out, ppl);
    }

    private static int tokens(Entity e) {
        return (int) java.util.Arrays.stream(e.attention()).flatMapToDouble(java.util.Arrays::stream).filter(Double::isFinite)
                .count();
    }

    private static final int LEFT = 60;
    private static final int WIDTH = 1100;
    private static final int ROW = 34;

    /** One panel per entity: 12 leads, attention as the red shade of each patch, the trace in black. */
    public void write(Path png, String title) throws IOException {
        int panel = 40 + 12 * ROW;
        BufferedImage image = new BufferedImage(LEFT + WIDTH + 30, 50 + entities.size() * panel, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = LineChart.canvas(image, title);
        int samples = input.numSamples();
        double cell = (double) WIDTH / patchesPerLead;
        for (int e = 0; e < entities.size(); e++) {
            Entity ent = entities.get(e);
            int y0 = 50 + e * panel;
            double max = IntStream.range(0, 12).mapToDouble(l -> java.util.Arrays.stream(ent.attention()[l])
                    .filter(Double::isFinite).max().orElse(0)).max().orElse(1);
            double min = IntStream.range(0, 12).mapToDouble(l -> java.util.Arrays.stream(ent.attention()[l])
                    .filter(Double::isFinite).min().orElse(max)).min().orElse(0);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString(String.format(Locale.ROOT, "%s  (p = %.2f; shade: cross-attention of the last query layer,"
                    + " white %.4f to red %.4f; uniform would be %.4f)", ent.name(), ent.probability(), min, max,
                    1.0 / tokens(ent)), LEFT, y0 + 22);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (Lead lead : Lead.values()) {
                int top = y0 + 32 + lead.ordinal() * ROW;
                g.setColor(Color.DARK_GRAY);
                g.drawString(lead.label(), 10, top + ROW / 2 + 4);
                double[] a = ent.attention()[lead.ordinal()];
                for (int p = 0; p < patchesPerLead; p++) {
                    double share = Double.isFinite(a[p]) && max > min ? (a[p] - min) / (max - min) : 0;
                    int shade = (int) Math.round(255 * (1 - share));
                    g.setColor(Double.isFinite(a[p]) ? new Color(255, shade, shade) : new Color(235, 235, 235));
                    g.fillRect(LEFT + (int) Math.round(p * cell), top, (int) Math.ceil(cell), ROW - 2);
                }
                float[] s = input.lead(lead);
                if (s != null) {
                    g.setColor(Color.BLACK);
                    g.setStroke(new BasicStroke(1f));
                    Path2D.Double path = new Path2D.Double();
                    for (int i = 0; i < samples; i++) {
                        double px = LEFT + (double) i / samples * WIDTH;
                        double py = top + ROW / 2.0 - Math.max(-3, Math.min(3, s[i])) * (ROW / 7.0);
                        if (i == 0) {
                            path.moveTo(px, py);
                        } else {
                            path.lineTo(px, py);
                        }
                    }
                    g.draw(path);
                }
            }
        }
        g.dispose();
        AtomicFiles.write(png, out -> ImageIO.write(image, "png", out));
    }
}
