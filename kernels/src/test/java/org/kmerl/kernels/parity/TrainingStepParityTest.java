package org.kmerl.kernels.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kmerl.autograd.Functional;
import org.kmerl.autograd.Variable;
import org.kmerl.kernels.CudaBackend;
import org.kmerl.nn.TransformerConfig;
import org.kmerl.nn.TransformerEncoder;
import org.kmerl.optim.AdamW;
import org.kmerl.optim.GradClip;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;
import org.kmerl.tensor.backend.LossReduction;

/**
 * Three training steps of a transformer encoder (dropout and attention dropout on, key padding) with the
 * CLIP loss, gradient clipping and AdamW, once on the CPU and once on the GPU from the same initial
 * weights: losses and every parameter agree, and the GPU steps copy nothing back to the host.
 */
class TrainingStepParityTest {

    private static TransformerEncoder model() {
        TransformerConfig config = TransformerConfig.builder(32, 4).mlpDim(64).dropout(0.1f).attentionDropout(0.1f).build();
        return new TransformerEncoder(config, 2, new Generator(5));
    }

    @Test
    void encoderStepsMatchTheCpuWithoutHostRoundTrips() {
        CudaBackend gpu = Gpu.backend();
        TransformerEncoder cpuModel = model();
        TransformerEncoder gpuModel = (TransformerEncoder) model().to(Gpu.DEVICE);
        AdamW cpuOpt = AdamW.of(cpuModel.namedParameters(), 1e-3, 0.01);
        AdamW gpuOpt = AdamW.of(gpuModel.namedParameters(), 1e-3, 0.01);
        Generator data = new Generator(9);
        Tensor x = data.normal(0f, 1f, 6, 11, 32);
        Tensor pad = Tensor.of(new float[6 * 11], 6, 11);
        for (int j = 8; j < 11; j++) {
            pad.narrow(0, 1, 1).narrow(1, j, 1).fill(1f);   // sample 1 has three padded tokens
        }
        Tensor gx = Gpu.on(x);
        Tensor gpad = Gpu.on(pad);
        for (int step = 0; step < 3; step++) {
            float cpuLoss = step(cpuModel, cpuOpt, x, pad);
            long before = gpu.memory().downloads();
            Tensor gpuLoss;
            try (TensorScope scope = TensorScope.open()) {
                gpuLoss = scope.keep(stepTensor(gpuModel, gpuOpt, gx, gpad));
            }
            assertEquals(before, gpu.memory().downloads(), "a GPU training step copied data back to the host");
            assertEquals(cpuLoss, gpuLoss.item(), 2e-4 * Math.abs(cpuLoss), "loss of step " + step);
        }
        for (Map.Entry<String, Variable> e : cpuModel.namedParameters().entrySet()) {
            // The key bias cannot change a softmax over keys, so its exact gradient is 0 and both backends
            // hold rounding noise, which AdamW scales to steps of up to lr either way: only bound its drift.
            double atol = e.getKey().endsWith("k.bias") ? 3 * 1e-3 * 1.01 : 1e-4;
            Gpu.assertClose(e.getValue().data(), gpuModel.namedParameters().get(e.getKey()).data(), 1e-3, atol,
                    "parameter " + e.getKey() + " after 3 steps");
        }
    }

    private static float step(TransformerEncoder model, AdamW opt, Tensor x, Tensor pad) {
        try (TensorScope scope = TensorScope.open()) {
            return stepTensor(model, opt, x, pad).item();
        }
    }

    /** Forward, CLIP loss between the first and second halves of the tokens' means, backward, clip, AdamW. */
    private static Tensor stepTensor(TransformerEncoder model, AdamW opt, Tensor x, Tensor pad) {
        opt.zeroGrad();
        Variable out = model.forward(Variable.constant(x), pad);
        Variable a = out.narrow(1, 0, 4).mean(1);
        Variable b = out.narrow(1, 4, 4).mean(1);
        Variable temperature = Variable.constant(Tensor.full(0.07f, x.device()));
        Variable loss = Functional.clipLoss(a, b, temperature, LossReduction.MEAN).add(out.square().mean().mul(0.1f));
        loss.backward();
        GradClip.clipGradNorm(opt.parameters(), 1.0f);
        opt.step();
        return loss.data();
    }
}
