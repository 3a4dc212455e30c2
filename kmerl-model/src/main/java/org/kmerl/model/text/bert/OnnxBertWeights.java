package org.kmerl.model.text.bert;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kmerl.tensor.Tensor;

/**
 * Names the weights of a Hugging Face BERT exported by {@code torch.onnx} with BertModel's
 * state-dict names. Biases, embeddings and LayerNorms keep their PyTorch names as initializers; the
 * Linear weights do not: the exporter stores each as an anonymous {@code onnx::MatMul_NNN}
 * initializer of shape [in, out] (the transpose of {@code nn.Linear.weight}). Their module is
 * recovered from the name of the MatMul node that consumes them,
 * {@code /encoder/layer.3/attention/self/query/MatMul} -> {@code encoder.layer.3.attention.self.query.weight}.
 */
final class OnnxBertWeights {
    private static final Pattern LINEAR = Pattern.compile("/encoder/layer\\.(\\d+)/(.+)/MatMul");

    private OnnxBertWeights() {
    }

    /** Every float weight found, by state-dict name (the caller checks them against the model). */
    static Map<String, Tensor> stateDict(OnnxFile file) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (OnnxFile.Initializer init : file.initializers.values()) {
            if (init.dataType() == OnnxFile.FLOAT && !init.name().startsWith("onnx::")) {
                out.put(init.name(), floats(init));
            }
        }
        for (OnnxFile.Node node : file.nodes) {
            Matcher m = LINEAR.matcher(node.name());
            if (!node.opType().equals("MatMul") || !m.matches()) {
                continue;
            }
            for (String input : node.inputs()) {
                OnnxFile.Initializer w = file.initializers.get(input);
                if (w != null && w.dataType() == OnnxFile.FLOAT && w.dims().length == 2) {
                    String key = "encoder.layer." + m.group(1) + "." + m.group(2).replace('/', '.') + ".weight";
                    try (Tensor inOut = floats(w)) {
                        out.put(key, inOut.transpose(0, 1).contiguous());
                    }
                }
            }
        }
        return out;
    }

    private static Tensor floats(OnnxFile.Initializer init) {
        float[] values = new float[(int) init.numel()];
        ByteBuffer data = init.data().duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().get(values);
        return Tensor.of(values, init.dims());
    }
}
