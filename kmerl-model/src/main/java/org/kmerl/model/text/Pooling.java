package org.kmerl.model.text;

import org.kmerl.autograd.Variable;
import org.kmerl.model.text.bert.BertModel;
import org.kmerl.model.text.tokenizer.TokenBatch;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.Tensor;

/** How a text's token states become one vector. */
public enum Pooling {
    /** Mean over the real tokens, [CLS] and [SEP] included (sentence-transformers, langchain4j). */
    MEAN {
        @Override
        Variable apply(BertModel model, Variable hidden, TokenBatch batch) {
            Device device = hidden.data().device();
            float[] counts = new float[batch.batchSize()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = batch.lengths()[i];
            }
            Variable mask = Variable.constant(onDevice(batch.tokenMask(), device));
            Variable count = Variable.constant(onDevice(Tensor.of(counts, counts.length, 1), device));
            return hidden.mul(mask).sum(1).div(count);
        }
    },
    /** The last hidden state of [CLS] (MedCPT's model card). */
    CLS {
        @Override
        Variable apply(BertModel model, Variable hidden, TokenBatch batch) {
            return hidden.select(1, 0);
        }
    },
    /** BERT's pooler, tanh(dense([CLS])) (MERL's choice for MedCPT); needs a checkpoint with a pooler. */
    POOLER {
        @Override
        Variable apply(BertModel model, Variable hidden, TokenBatch batch) {
            return model.pool(hidden);
        }
    };

    /** hidden [B, T, D] -> [B, D]. */
    abstract Variable apply(BertModel model, Variable hidden, TokenBatch batch);

    private static Tensor onDevice(Tensor cpu, Device device) {
        if (cpu.device().equals(device)) {
            return cpu;
        }
        try (cpu) {
            return cpu.to(device);
        }
    }
}
