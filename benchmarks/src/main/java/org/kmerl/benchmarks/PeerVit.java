package org.kmerl.benchmarks;

import org.kmerl.autograd.Functional;
import org.kmerl.autograd.Variable;
import org.kmerl.nn.Linear;
import org.kmerl.nn.Module;
import org.kmerl.nn.TransformerConfig;
import org.kmerl.nn.TransformerEncoder;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;

/**
 * The small ViT-style ECG encoder of the PyTorch peer benchmark (../shared/peer/torch_cpu_peer.py,
 * "vit_step"): x [B, 12 leads, 500] cut into 120 patches of 50 samples, Linear(50, 256) plus a
 * learned position embedding, 4 pre-LN blocks (4 heads, MLP 1024, erf GELU), final layer norm,
 * mean pooling, Linear(256, 5). Same sizes and arithmetic; kmerl's attention is the fused kernel.
 */
public final class PeerVit extends Module {
    public static final int LEADS = 12;
    public static final int PATCHES_PER_LEAD = 10;
    public static final int PATCH = 50;
    public static final int TOKENS = LEADS * PATCHES_PER_LEAD;
    public static final int WIDTH = 256;
    public static final int DEPTH = 4;
    public static final int HEADS = 4;
    public static final int CLASSES = 5;

    private final Linear embed;
    private final Variable position;
    private final TransformerEncoder encoder;
    private final Linear head;

    public PeerVit(Generator g) {
        embed = registerModule("embed", new Linear(PATCH, WIDTH, true, g));
        position = registerParameter("pos", persistent(() -> g.normal(0f, 0.02f, 1, TOKENS, WIDTH)));
        encoder = registerModule("encoder", new TransformerEncoder(
                TransformerConfig.builder(WIDTH, HEADS).mlpDim(4 * WIDTH).build(), DEPTH, g.fork()));
        head = registerModule("head", new Linear(WIDTH, CLASSES, true, g));
    }

    /** Class logits [B, 5] for signals [B, 12, 500]. */
    public Variable forward(Tensor signal) {
        Variable patches = Variable.constant(signal).reshape(signal.dim(0), TOKENS, PATCH);
        Variable x = embed.forward(patches).add(position);
        return head.forward(encoder.forward(x, null).mean(1));
    }

    public Variable loss(Tensor signal, Tensor labels) {
        return Functional.crossEntropy(forward(signal), labels);
    }

    /** Forward FLOPs as the peer counts them (matrix products only). */
    public static double forwardFlops(int batch) {
        double bt = (double) batch * TOKENS;
        return 2.0 * bt * PATCH * WIDTH + DEPTH * (24.0 * bt * WIDTH * WIDTH + 4.0 * batch * TOKENS * TOKENS * WIDTH)
                + 2.0 * batch * WIDTH * CLASSES;
    }
}
