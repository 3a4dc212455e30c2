package org.kmerl.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kmerl.autograd.Variable;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.io.SafeTensors;
import org.kmerl.tensor.testing.TensorAssert;
import org.kmerl.testing.Golden;

/**
 * A 2-layer pre-norm transformer encoder (d=8, 2 heads, MLP 16, a padded batch) against the same
 * network written out in PyTorch by make_golden.py: output and the gradient of every parameter.
 */
class TransformerGoldenTest {

    @Test
    void outputAndEveryParameterGradientMatchPyTorch() throws IOException {
        SafeTensors.Content golden = Golden.load("transformer.safetensors");
        TransformerConfig config = TransformerConfig.builder(8, 2).mlpDim(16).build();
        TransformerEncoder encoder = new TransformerEncoder(config, 2, new Generator(0));
        Map<String, Tensor> weights = new LinkedHashMap<>();
        golden.tensors().forEach((k, v) -> {
            if (k.startsWith("param.")) {
                weights.put(k.substring(6), v);
            }
        });
        encoder.loadStateDict(weights, true);
        assertEquals(weights.keySet(), encoder.stateDict().keySet(), "kmerl's parameter names are PyTorch's");

        Variable x = Variable.leaf(golden.tensors().get("input").copy());
        Variable out = encoder.forward(x, golden.tensors().get("padding"));
        TensorAssert.assertClose(golden.tensors().get("output"), out.data(), 1e-5, 1e-5, "encoder output");
        out.mul(Variable.constant(golden.tensors().get("weights"))).sum().backward();
        TensorAssert.assertClose(golden.tensors().get("grad.input"), x.grad(), 1e-5, 1e-5, "input gradient");
        for (Map.Entry<String, Variable> p : encoder.namedParameters().entrySet()) {
            TensorAssert.assertClose(golden.tensors().get("grad.param." + p.getKey()), p.getValue().grad(), 1e-5, 1e-5,
                    "gradient of " + p.getKey());
        }
    }
}
