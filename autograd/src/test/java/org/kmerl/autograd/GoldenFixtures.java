package org.kmerl.autograd;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.io.SafeTensors;
import org.kmerl.testing.Golden;

/** Reads the PyTorch fixtures written by src/test/python/make_golden.py. */
final class GoldenFixtures {
    /** One op case: inputs in order, constants by name, the output, weights and gradients by input index. */
    record Case(String name, List<Tensor> inputs, Map<String, Tensor> consts, Tensor output, Tensor weights,
                Map<Integer, Tensor> grads) {
    }

    private GoldenFixtures() {
    }

    static Map<String, Case> opCases() throws IOException {
        SafeTensors.Content content = Golden.load("ops.safetensors");
        Map<String, Map<String, Tensor>> byCase = new LinkedHashMap<>();
        for (String name : content.metadata().get("cases").split(",")) {
            byCase.put(name, new TreeMap<>());
        }
        content.tensors().forEach((key, t) -> {
            int slash = key.indexOf('/');
            byCase.get(key.substring(0, slash)).put(key.substring(slash + 1), t);
        });
        Map<String, Case> cases = new LinkedHashMap<>();
        byCase.forEach((name, parts) -> {
            List<Tensor> inputs = new ArrayList<>();
            Map<String, Tensor> consts = new LinkedHashMap<>();
            Map<Integer, Tensor> grads = new LinkedHashMap<>();
            for (int i = 0; parts.containsKey("input" + i); i++) {
                inputs.add(parts.get("input" + i));
                if (parts.containsKey("grad" + i)) {
                    grads.put(i, parts.get("grad" + i));
                }
            }
            parts.forEach((k, v) -> {
                if (k.startsWith("const.")) {
                    consts.put(k.substring(6), v);
                }
            });
            cases.put(name, new Case(name, inputs, consts, parts.get("output"), parts.get("weights"), grads));
        });
        return cases;
    }
}
