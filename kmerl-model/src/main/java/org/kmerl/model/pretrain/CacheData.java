package org.kmerl.model.pretrain;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.kmerl.model.data.Lead;
import org.kmerl.model.ecg.EncoderInput;
import org.kmerl.model.data.cache.SampleCache;

/** A split of a memory-mapped {@link SampleCache}: the rows given (built, not failed). */
public final class CacheData implements PretrainData, AutoCloseable {
    private final SampleCache cache;
    private final int[] rows;
    private final String description;
    private final List<Lead> leads;
    private final ThreadLocal<float[][]> scratch;

    public CacheData(SampleCache cache, int[] rows, String description) {
        this.cache = cache;
        this.rows = rows.clone();
        this.description = description;
        this.leads = cache.leads().stream().sorted().toList();
        this.scratch = ThreadLocal.withInitial(() -> new float[cache.leads().size()][cache.length()]);
    }

    /**
     * A seeded split of the cache's built rows: {@code [training, validation]}, the validation part
     * being {@code validationFraction} of them (at least 2). Both share the open cache.
     */
    public static CacheData[] split(SampleCache cache, Path dir, double validationFraction, long seed) {
        return split(cache, cache.doneRows(), dir, validationFraction, seed);
    }

    /** As above, over {@code usable} rows of the cache only (for instance without the evaluation folds). */
    public static CacheData[] split(SampleCache cache, int[] usable, Path dir, double validationFraction, long seed) {
        int[] rows = BatchLoader.shuffled(usable, new java.util.SplittableRandom(seed));
        int v = Math.max(2, (int) Math.round(validationFraction * rows.length));
        if (v >= rows.length) {
            throw new IllegalArgumentException(dir + " has " + rows.length + " usable records, too few to hold out "
                    + v + " for validation");
        }
        int[] val = java.util.Arrays.copyOfRange(rows, 0, v);
        int[] train = java.util.Arrays.copyOfRange(rows, v, rows.length);
        java.util.Arrays.sort(val);
        java.util.Arrays.sort(train);
        return new CacheData[] {new CacheData(cache, train, dir + ": " + train.length + " records"),
            new CacheData(cache, val, dir + ": " + val.length + " held-out records")};
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public int size() {
        return rows.length;
    }

    @Override
    public String id(int i) {
        return cache.entry(rows[i]).id();
    }

    @Override
    public String report(int i) {
        return cache.entry(rows[i]).report();
    }

    @Override
    public Set<String> labels(int i) {
        return cache.entry(rows[i]).labels();
    }

    @Override
    public List<Lead> leads(int i) {
        return leads;
    }

    @Override
    public int length() {
        return cache.length();
    }

    @Override
    public double rate() {
        return cache.rate();
    }

    @Override
    public void read(int i, float[] out, int offset) {
        float[][] x = scratch.get();
        cache.get(rows[i], x);
        EncoderInput.place(cache.leads(), x, cache.length(), out, offset);
    }

    @Override
    public void close() throws IOException {
        cache.close();
    }
}
