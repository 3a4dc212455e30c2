package org.kmerl.model.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kmerl.model.ModelFormatException;
import org.kmerl.tensor.Shape;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.io.SafeTensors;

/**
 * Text embeddings computed once by a frozen encoder and kept on disk, so that pretraining does not
 * re-encode the same reports and entity names every epoch. The file is a safetensors file with
 * {@code keys} [N, 8] (int32 words of each text's SHA-256) and {@code embeddings} [N, D], and the
 * encoder's {@link TextEncoder#modelId()} in its metadata: a cache is only ever used with the
 * encoder that filled it. Entries stay valid only while the encoder's weights do not change.
 *
 * <p>{@link #save()} replaces the file atomically; an interrupted run keeps the previous file.
 */
public final class EmbeddingCache {
    private static final String FORMAT = "kmerl-text-embeddings/1";

    private final Path file;
    private final TextEncoder encoder;
    private final Map<String, Integer> rowOf = new HashMap<>();
    private final List<float[]> rows = new ArrayList<>();
    private boolean dirty;
    private long hits;
    private long misses;

    private EmbeddingCache(Path file, TextEncoder encoder) {
        this.file = file;
        this.encoder = encoder;
    }

    /** Opens {@code file} (created on the first {@link #save()}) for {@code encoder}'s embeddings. */
    public static EmbeddingCache open(Path file, TextEncoder encoder) throws IOException {
        EmbeddingCache cache = new EmbeddingCache(file, encoder);
        if (Files.exists(file)) {
            cache.load();
        }
        return cache;
    }

    private void load() throws IOException {
        try (SafeTensors.Content c = SafeTensors.read(file)) {
            String source = file.toString();
            String model = c.metadata().get("model");
            if (!encoder.modelId().equals(model)) {
                throw new ModelFormatException(source, "this cache holds embeddings of model '" + model
                        + "', not of '" + encoder.modelId() + "': use another cache file or delete this one");
            }
            Tensor keys = c.get(file, "keys");
            Tensor embeddings = c.get(file, "embeddings");
            int n = keys.dim(0);
            int d = encoder.dimension();
            if (keys.rank() != 2 || keys.dim(1) != 8 || embeddings.rank() != 2 || embeddings.dim(0) != n
                    || embeddings.dim(1) != d) {
                throw new ModelFormatException(source, "expected keys [N, 8] and embeddings [N, " + d + "], got "
                        + Shape.format(keys.shape()) + " and "
                        + Shape.format(embeddings.shape()));
            }
            int[] k = keys.toIntArray();
            float[] e = embeddings.toFloatArray();
            ByteBuffer digest = ByteBuffer.allocate(32);
            for (int i = 0; i < n; i++) {
                digest.clear();
                digest.asIntBuffer().put(k, i * 8, 8);
                rowOf.put(HexFormat.of().formatHex(digest.array()), rows.size());
                float[] row = new float[d];
                System.arraycopy(e, i * d, row, 0, d);
                rows.add(row);
            }
        }
    }

    /** Embeddings [N, D] of {@code texts} in order; the ones not cached yet are computed in one batch. */
    public synchronized Tensor embed(List<String> texts) {
        int d = encoder.dimension();
        List<String> keys = texts.stream().map(EmbeddingCache::key).toList();
        Map<String, String> missing = new LinkedHashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            if (!rowOf.containsKey(keys.get(i))) {
                missing.putIfAbsent(keys.get(i), texts.get(i));
            }
        }
        if (!missing.isEmpty()) {
            try (Tensor computed = encoder.embed(new ArrayList<>(missing.values()))) {
                float[] e = computed.toFloatArray();
                int r = 0;
                for (String key : missing.keySet()) {
                    float[] row = new float[d];
                    System.arraycopy(e, r++ * d, row, 0, d);
                    rowOf.put(key, rows.size());
                    rows.add(row);
                }
            }
            dirty = true;
        }
        misses += missing.size();
        hits += texts.size() - missing.size();
        float[] out = new float[texts.size() * d];
        for (int i = 0; i < texts.size(); i++) {
            System.arraycopy(rows.get(rowOf.get(keys.get(i))), 0, out, i * d, d);
        }
        return Tensor.of(out, texts.size(), d);
    }

    /** Writes the cache if anything was added since it was opened or last saved. */
    public synchronized void save() throws IOException {
        if (!dirty) {
            return;
        }
        int n = rows.size();
        int d = encoder.dimension();
        int[] keys = new int[n * 8];
        float[] embeddings = new float[n * d];
        for (Map.Entry<String, Integer> e : rowOf.entrySet()) {
            int row = e.getValue();
            ByteBuffer.wrap(HexFormat.of().parseHex(e.getKey())).asIntBuffer().get(keys, row * 8, 8);
            System.arraycopy(rows.get(row), 0, embeddings, row * d, d);
        }
        try (Tensor k = Tensor.ofInts(keys, n, 8); Tensor emb = Tensor.of(embeddings, n, d)) {
            SafeTensors.write(file, Map.of("keys", k, "embeddings", emb),
                    Map.of("format", FORMAT, "model", encoder.modelId(), "dimension", Integer.toString(d)));
        }
        dirty = false;
    }

    /** Number of cached texts. */
    public synchronized int size() {
        return rows.size();
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }

    /** SHA-256 of the UTF-8 text, in hex. */
    static String key(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
