package org.kmerl.model.kmerl;

import java.util.ArrayList;
import java.util.List;
import org.kmerl.autograd.Functional;
import org.kmerl.autograd.Variable;
import org.kmerl.model.ecg.EcgEncoder;
import org.kmerl.model.ecg.TokenLayout;
import org.kmerl.nn.Module;
import org.kmerl.parallel.Collective;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.LossReduction;

/**
 * K-MERL: the lead-aware ECG encoder, projection heads into a shared ECG-text space, and the cardiac
 * query network, trained with
 * <pre>
 *   total = CLIP(P_e(ecg), P_t(report))  +  λ · BCE(queryNetwork(entities, ecg tokens), entity labels)
 * </pre>
 * The text encoder is not part of this module: reports and entity names arrive as its embeddings
 * (computed once and cached, the text encoder frozen; see docs/model.md).
 */
public final class KmerlModel extends Module {
    /** The loss terms of one batch; {@code entityLogits} [B, E] for metrics. */
    public record Losses(Variable total, Variable contrastive, Variable entity, Variable entityLogits) {
    }

    private final KmerlConfig config;
    private final EcgEncoder encoder;
    private final ProjectionHead ecgProjection;
    private final ProjectionHead textProjection;
    private final CardiacQueryNetwork queryNetwork;
    private final Variable temperature;

    public KmerlModel(KmerlConfig config, Generator g) {
        this.config = config;
        this.encoder = registerModule("encoder", new EcgEncoder(config.encoder(), g.fork()));
        this.ecgProjection = registerModule("ecgProjection",
                new ProjectionHead(config.encoder().width(), config.projectionDim(), g.fork()));
        this.textProjection = registerModule("textProjection",
                new ProjectionHead(config.textDim(), config.projectionDim(), g.fork()));
        this.queryNetwork = registerModule("queryNetwork",
                new CardiacQueryNetwork(config.textDim(), config.queryTransformer(), config.queryDepth(), g.fork()));
        // A fixed temperature is made per call on the embeddings' device (a constant held here would stay
        // on the CPU when the module moves to a GPU); a learned one is a parameter and moves with it.
        this.temperature = config.learnTemperature()
                ? registerParameter("temperature", persistent(() -> Tensor.full(config.temperature(), 1)))
                : null;
    }

    private Variable temperature(Variable like) {
        return temperature != null ? temperature
                : Variable.constant(Tensor.full(config.temperature(), like.data().device(), 1));
    }

    /**
     * The losses of a batch.
     *
     * @param signals        [B, 12, L]
     * @param layout         which tokens each sample keeps
     * @param reports        [B, textDim] report embeddings
     * @param entityText     [E, textDim] entity-name embeddings (the queries)
     * @param entityLabels   [B, E] multi-hot
     */
    public Losses losses(Tensor signals, TokenLayout layout, Tensor reports, Tensor entityText, Tensor entityLabels) {
        return losses(signals, layout, reports, entityText, entityLabels, Collective.single());
    }

    /**
     * The losses of this rank's slice of a data-parallel batch: the contrastive loss over every rank's
     * projected embeddings (gathered, so the negatives span the global batch), the entity loss over this
     * rank's rows. Followed by {@link org.kmerl.parallel.DataParallel#averageGradients} after the backward,
     * the gradients are the global batch's.
     */
    public Losses losses(Tensor signals, TokenLayout layout, Tensor reports, Tensor entityText, Tensor entityLabels,
                         Collective ranks) {
        return losses(encoder.forward(signals, layout), reports, entityText, entityLabels, ranks);
    }

    private Losses losses(EcgEncoder.Output ecg, Tensor reports, Tensor entityText, Tensor entityLabels, Collective ranks) {
        Variable ecgSide = ecgProjection.forward(ecg.pooled());
        Variable textSide = textProjection.forward(Variable.constant(reports));
        Variable contrastive = Functional.clipLoss(Functional.allGather(ecgSide, ranks), Functional.allGather(textSide, ranks),
                temperature(ecgSide), config.clipSum() ? LossReduction.SUM : LossReduction.MEAN);
        Variable logits = queryNetwork.forward(Variable.constant(entityText), ecg);
        Variable entity = Functional.bceWithLogits(logits, entityLabels, null, LossReduction.MEAN);
        Variable total = contrastive.add(entity.mul(config.entityWeight()));
        return new Losses(total, contrastive, entity, logits);
    }

    /** Validation in one encoder pass: the losses, and both zero-shot scores [B, C] of class texts. */
    public record Evaluation(Losses losses, Variable queryScores, Variable similarityScores) {
    }

    public Evaluation evaluate(Tensor signals, TokenLayout layout, Tensor reports, Tensor entityText, Tensor entityLabels,
                               Tensor classText) {
        EcgEncoder.Output ecg = encoder.forward(signals, layout);
        Inference scores = infer(ecg, List.of(classText));
        return new Evaluation(losses(ecg, reports, entityText, entityLabels, Collective.single()), scores.queryScores(),
                scores.similarityScores());
    }

    /**
     * What downstream evaluation needs from one encoder pass: the pooled encoder output [B, width] (the
     * linear probe's features), the projected embedding [B, projectionDim], and both zero-shot scores
     * [B, C] of all the class texts, in order.
     */
    public record Inference(Variable pooled, Variable embedding, Variable queryScores, Variable similarityScores) {
    }

    /**
     * @param querySets class texts [C_i, textDim], each set asked of the query network on its own: its
     *                  queries attend to each other, so a class's logit depends on the classes asked with it
     *                  (one task's classes form a set; tasks do not disturb each other)
     */
    public Inference infer(Tensor signals, TokenLayout layout, List<Tensor> querySets) {
        return infer(encoder.forward(signals, layout), querySets);
    }

    private Inference infer(EcgEncoder.Output ecg, List<Tensor> querySets) {
        Variable embedding = ecgProjection.forward(ecg.pooled());
        Variable e = l2Normalize(embedding);
        List<Variable> query = new ArrayList<>();
        List<Variable> similarity = new ArrayList<>();
        for (Tensor texts : querySets) {
            query.add(queryNetwork.forward(Variable.constant(texts), ecg));
            similarity.add(e.matmul(l2Normalize(textProjection.forward(Variable.constant(texts))).transpose(0, 1)));
        }
        return new Inference(ecg.pooled(), embedding, join(query), join(similarity));
    }

    private static Variable join(List<Variable> columns) {
        return columns.size() == 1 ? columns.get(0) : Variable.concat(columns, 1);
    }

    /** The query network's logits [B, Q] for {@code queryText} and its cross-attention per layer (see {@link CardiacQueryNetwork#explain}). */
    public CardiacQueryNetwork.Explanation explain(Tensor signals, TokenLayout layout, Tensor queryText) {
        return queryNetwork.explain(Variable.constant(queryText), encoder.forward(signals, layout));
    }

    static Variable l2Normalize(Variable x) {
        return x.div(x.square().sum(new int[] {1}, true).sqrt().clamp(1e-12f, Float.MAX_VALUE));
    }

    public KmerlConfig config() {
        return config;
    }

    public EcgEncoder encoder() {
        return encoder;
    }
}
