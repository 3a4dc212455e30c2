package org.kmerl.model.text.tokenizer;

import java.util.Arrays;
import java.util.List;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.Tensor;

/**
 * Encoded texts padded on the right to the longest one: {@code ids} [B, T] (int32, the pad id after
 * each text's end) and {@code padding} [B, T] (int32, 1 at padded positions: what
 * {@code Functional.attention} takes as key padding). {@code lengths[b]} real tokens lead row b.
 * Closing releases both tensors.
 */
public record TokenBatch(Tensor ids, Tensor padding, int[] lengths) implements AutoCloseable {

    /** Pads {@code encodings} with {@code padId} to the longest one. */
    public static TokenBatch of(List<Encoding> encodings, int padId) {
        if (encodings.isEmpty()) {
            throw new IllegalArgumentException("cannot batch zero texts");
        }
        int b = encodings.size();
        int t = encodings.stream().mapToInt(Encoding::length).max().orElseThrow();
        int[] ids = new int[b * t];
        int[] pad = new int[b * t];
        int[] lengths = new int[b];
        Arrays.fill(ids, padId);
        for (int i = 0; i < b; i++) {
            int[] e = encodings.get(i).ids();
            System.arraycopy(e, 0, ids, i * t, e.length);
            Arrays.fill(pad, i * t + e.length, (i + 1) * t, 1);
            lengths[i] = e.length;
        }
        return new TokenBatch(Tensor.ofInts(ids, b, t), Tensor.ofInts(pad, b, t), lengths);
    }

    /** A copy of the id and padding tensors on {@code device} (close it as well as this one). */
    public TokenBatch to(Device device) {
        return new TokenBatch(ids.to(device), padding.to(device), lengths);
    }

    public int batchSize() {
        return ids.dim(0);
    }

    public int sequenceLength() {
        return ids.dim(1);
    }

    /** True when no row is padded (the attention kernels can then skip the mask). */
    public boolean unpadded() {
        for (int len : lengths) {
            if (len != sequenceLength()) {
                return false;
            }
        }
        return true;
    }

    /** [B, T, 1] float: 1 at real tokens, 0 at padding (for masked mean pooling). */
    public Tensor tokenMask() {
        int b = batchSize();
        int t = sequenceLength();
        float[] m = new float[b * t];
        for (int i = 0; i < b; i++) {
            Arrays.fill(m, i * t, i * t + lengths[i], 1f);
        }
        return Tensor.of(m, b, t, 1);
    }

    @Override
    public void close() {
        ids.close();
        padding.close();
    }
}
