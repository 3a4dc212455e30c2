package org.kmerl.model.text.bert;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kmerl.model.ModelFormatException;

/**
 * The parts of an ONNX model (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto) that hold
 * weights: the graph's initializers and its nodes (to see which op consumes which initializer).
 * Field numbers used: ModelProto.graph = 7; GraphProto.node = 1, initializer = 5; NodeProto.input = 1,
 * output = 2, name = 3, op_type = 4; TensorProto.dims = 1, data_type = 2, float_data = 4, name = 8,
 * raw_data = 9, external_data = 13.
 */
final class OnnxFile {
    /** TensorProto.DataType.FLOAT. */
    static final int FLOAT = 1;

    /** A weight: shape and little-endian float data (raw_data, or float_data re-encoded). */
    record Initializer(String name, int[] dims, int dataType, ByteBuffer data) {
        long numel() {
            long n = 1;
            for (int d : dims) {
                n *= d;
            }
            return n;
        }
    }

    record Node(String name, String opType, List<String> inputs, List<String> outputs) {
    }

    final Map<String, Initializer> initializers = new LinkedHashMap<>();
    final List<Node> nodes = new ArrayList<>();

    /** Parses a whole .onnx file held in memory; {@code source} names it in errors. */
    static OnnxFile parse(ByteBuffer bytes, String source) throws ModelFormatException {
        OnnxFile file = new OnnxFile();
        ProtoReader model = new ProtoReader(bytes, source);
        boolean sawGraph = false;
        while (model.next()) {
            if (model.field() == 7 && model.wireType() == ProtoReader.LENGTH_DELIMITED) {
                sawGraph = true;
                file.readGraph(model.message(), source);
            } else {
                model.skip();
            }
        }
        if (!sawGraph) {
            throw new ModelFormatException(source, "no graph in this file (is it an ONNX model?)");
        }
        return file;
    }

    private void readGraph(ProtoReader graph, String source) throws ModelFormatException {
        while (graph.next()) {
            if (graph.field() == 1 && graph.wireType() == ProtoReader.LENGTH_DELIMITED) {
                nodes.add(readNode(graph.message()));
            } else if (graph.field() == 5 && graph.wireType() == ProtoReader.LENGTH_DELIMITED) {
                Initializer init = readTensor(graph.message(), source);
                initializers.put(init.name(), init);
            } else {
                graph.skip();
            }
        }
    }

    private static Node readNode(ProtoReader r) throws ModelFormatException {
        String name = "";
        String op = "";
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> inputs.add(r.string());
                case 2 -> outputs.add(r.string());
                case 3 -> name = r.string();
                case 4 -> op = r.string();
                default -> r.skip();
            }
        }
        return new Node(name, op, List.copyOf(inputs), List.copyOf(outputs));
    }

    private static Initializer readTensor(ProtoReader r, String source) throws ModelFormatException {
        List<Integer> dims = new ArrayList<>();
        int dataType = 0;
        String name = "";
        ByteBuffer raw = null;
        List<Float> floats = new ArrayList<>();
        boolean external = false;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> {
                    if (r.wireType() == ProtoReader.LENGTH_DELIMITED) {
                        ProtoReader packed = new ProtoReader(r.bytes(), source);
                        while (packed.hasRemaining()) {
                            dims.add(dim(packed.varint(), r));
                        }
                    } else {
                        dims.add(dim(r.varint(), r));
                    }
                }
                case 2 -> dataType = (int) r.varint();
                case 4 -> {
                    if (r.wireType() == ProtoReader.LENGTH_DELIMITED) {
                        ByteBuffer packed = r.bytes();
                        while (packed.remaining() >= 4) {
                            floats.add(packed.getFloat());
                        }
                    } else {
                        floats.add(Float.intBitsToFloat(r.fixed32()));
                    }
                }
                case 8 -> name = r.string();
                case 9 -> raw = r.bytes();
                case 13 -> {
                    external = true;
                    r.skip();
                }
                default -> r.skip();
            }
        }
        if (external) {
            throw new ModelFormatException(source, "initializer '" + name + "' keeps its data in an external file, "
                    + "which kmerl does not read (save the model with the weights inside)");
        }
        if (raw == null && !floats.isEmpty()) {
            raw = ByteBuffer.allocate(floats.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : floats) {
                raw.putFloat(f);
            }
            raw.flip();
        }
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        Initializer init = new Initializer(name, shape, dataType, raw == null ? ByteBuffer.allocate(0) : raw);
        if (dataType == FLOAT && init.data().remaining() != init.numel() * 4) {
            throw new ModelFormatException(source, "initializer '" + name + "' of shape "
                    + Arrays.toString(shape) + " holds " + init.data().remaining() + " bytes, expected "
                    + init.numel() * 4);
        }
        return init;
    }

    private static int dim(long d, ProtoReader r) throws ModelFormatException {
        if (d < 0 || d > Integer.MAX_VALUE) {
            throw r.corrupt("tensor dimension " + d);
        }
        return (int) d;
    }
}
