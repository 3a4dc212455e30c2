package org.kmerl.model.pretrain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.kmerl.model.data.Lead;
import org.kmerl.model.ecg.LeadMasking;
import org.kmerl.model.ecg.TokenSelection;

/**
 * Builds training batches ahead of time on background threads. Batch {@code s} is a pure function of
 * (seed, s): its rows are positions s·B .. s·B+B-1 of the epoch permutations (a new shuffle every epoch,
 * seeded by seed and epoch), and its masking is drawn from a generator seeded by (seed, s). So a run
 * resumed at step s sees exactly the batches an uninterrupted run would, with no loader state to save,
 * and the number of threads changes nothing but speed.
 *
 * <p>Data parallel: rank r of W loads batch s·W + r at its step s, so the W ranks together walk the same
 * sequence of batches (rows and masking) as one process would batch by batch.
 */
public final class BatchLoader implements AutoCloseable {
    private final PretrainData data;
    private final float[] reportEmbeddings;
    private final int textDim;
    private final List<float[]> entityRows;
    private final int batchSize;
    private final int patchesPerLead;
    private final LeadMasking masking;
    private final long seed;
    private final int rank;
    private final int world;
    private final ExecutorService pool;
    private final ArrayDeque<Future<Batch>> ahead = new ArrayDeque<>();
    private final Map<Long, int[]> permutations = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, int[]> eldest) {
            return size() > 3;
        }
    };
    private long nextToSubmit;

    /**
     * @param reportEmbeddings [N, textDim] for the data's rows
     * @param entityRows       each row's multi-hot entity labels (length E)
     * @param rank             this process's rank of {@code world} data-parallel ranks (0 of 1 alone)
     */
    public BatchLoader(PretrainData data, float[] reportEmbeddings, int textDim, List<float[]> entityRows,
                       int batchSize, int patchesPerLead, LeadMasking masking, long seed, int threads, int prefetch,
                       long firstStep, int rank, int world) {
        if (world < 1 || rank < 0 || rank >= world) {
            throw new IllegalArgumentException("rank " + rank + " of " + world + " ranks");
        }
        if (batchSize > data.size()) {
            throw new IllegalArgumentException("batch size " + batchSize + " is larger than the data (" + data.size()
                    + " records: " + data.describe() + ")");
        }
        this.data = data;
        this.reportEmbeddings = reportEmbeddings;
        this.textDim = textDim;
        this.entityRows = entityRows;
        this.batchSize = batchSize;
        this.patchesPerLead = patchesPerLead;
        this.masking = masking;
        this.seed = seed;
        this.rank = rank;
        this.world = world;
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "kmerl-batch-loader");
            t.setDaemon(true);
            return t;
        });
        this.nextToSubmit = firstStep;
        for (int i = 0; i < Math.max(1, prefetch); i++) {
            submitNext();
        }
    }

    private void submitNext() {
        long index = nextToSubmit++ * world + rank;
        ahead.add(pool.submit(() -> build(index)));
    }

    /** The next batch in step order (waits only when the loaders fall behind). */
    public Batch next() {
        Future<Batch> f = ahead.poll();
        submitNext();
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("building a batch failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Batch number {@code step} of the sequence (also usable directly, without threads). */
    public Batch build(long step) {
        int n = data.size();
        int[] rows = new int[batchSize];
        for (int k = 0; k < batchSize; k++) {
            long position = step * batchSize + k;
            rows[k] = permutation(position / n)[(int) (position % n)];
        }
        List<List<Lead>> present = new ArrayList<>(batchSize);
        for (int row : rows) {
            present.add(data.leads(row));
        }
        List<TokenSelection> tokens = masking.draw(present, patchesPerLead, new SplittableRandom(mix(seed, step)));
        return Batch.assemble(step, data, rows, tokens, reportEmbeddings, textDim, entityRows);
    }

    private int[] permutation(long epoch) {
        synchronized (permutations) {
            return permutations.computeIfAbsent(epoch,
                    e -> shuffled(java.util.stream.IntStream.range(0, data.size()).toArray(),
                            new SplittableRandom(mix(seed ^ 0x5DEECE66DL, e))));
        }
    }

    /** {@code values} shuffled in place (Fisher-Yates) and returned. */
    static int[] shuffled(int[] values, SplittableRandom rng) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
        return values;
    }

    static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + (index + 1) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
