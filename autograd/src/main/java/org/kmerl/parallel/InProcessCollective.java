package org.kmerl.parallel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.kmerl.tensor.Tensor;

/**
 * Ranks as threads of one process: each rank (thread) holds one handle from {@link #group}; tensors are
 * exchanged through host arrays between two barriers. For tests of data-parallel code and for trying it on
 * one machine; it moves every tensor through the host, so multi-GPU training wants NCCL instead.
 *
 * <p>If a rank fails it should call {@link #abort()}: the other ranks' pending and later operations then
 * throw instead of waiting for it forever.
 */
public final class InProcessCollective implements Collective {
    /**
     * What the ranks of one group share: the slots, and a barrier that stays broken once a rank aborts (a
     * CyclicBarrier's reset would only release the ranks already waiting; one arriving later would wait for
     * ever).
     */
    private static final class Shared {
        final Object[] slots;
        private int arrived;
        private long generation;
        private boolean aborted;

        Shared(int world) {
            slots = new Object[world];
        }

        synchronized void await(int rank, String op) {
            if (aborted) {
                throw new IllegalStateException(op + " on rank " + rank + ": another rank failed or aborted");
            }
            long mine = generation;
            if (++arrived == slots.length) {
                arrived = 0;
                generation++;
                notifyAll();
                return;
            }
            while (mine == generation && !aborted) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    abort();
                    throw new IllegalStateException(op + " on rank " + rank + " was interrupted", e);
                }
            }
            if (mine == generation) {
                throw new IllegalStateException(op + " on rank " + rank + ": another rank failed or aborted");
            }
        }

        synchronized void abort() {
            aborted = true;
            notifyAll();
        }
    }

    private final Shared shared;
    private final int rank;

    private InProcessCollective(Shared shared, int rank) {
        this.shared = shared;
        this.rank = rank;
    }

    /** The handles of a new group of {@code world} ranks, rank i at index i: give each to its own thread. */
    public static List<Collective> group(int world) {
        if (world < 1) {
            throw new IllegalArgumentException("a group needs at least one rank, got " + world);
        }
        Shared shared = new Shared(world);
        List<Collective> ranks = new ArrayList<>(world);
        for (int r = 0; r < world; r++) {
            ranks.add(new InProcessCollective(shared, r));
        }
        return List.copyOf(ranks);
    }

    /**
     * Runs {@code body} once per rank of a new group of {@code world}, each on its own thread with its rank's
     * handle, and returns the results in rank order. A rank that throws aborts the group (the others' waiting
     * operations then throw too) and its exception is rethrown here, in preference to the others'.
     */
    public static <T> List<T> run(int world, Function<Collective, T> body) {
        List<Collective> ranks = group(world);
        ExecutorService pool = Executors.newFixedThreadPool(world, r -> {
            Thread t = new Thread(r, "kmerl-rank");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>();
            Throwable[] first = new Throwable[1];
            for (Collective c : ranks) {
                futures.add(pool.submit(() -> {
                    try {
                        return body.apply(c);
                    } catch (RuntimeException | Error e) {
                        synchronized (first) {
                            if (first[0] == null) {
                                first[0] = e;
                            }
                        }
                        c.abort();
                        throw e;
                    }
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    Throwable cause = first[0] != null ? first[0] : e.getCause();
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the ranks ran", e);
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int worldSize() {
        return shared.slots.length;
    }

    @Override
    public void allReduceSum(List<Tensor> tensors) {
        float[][] mine = new float[tensors.size()][];
        for (int i = 0; i < mine.length; i++) {
            mine[i] = tensors.get(i).toFloatArray();
        }
        Object[] all = exchange(mine, "allReduceSum");
        for (int i = 0; i < mine.length; i++) {
            float[] sum = new float[mine[i].length];
            for (int r = 0; r < all.length; r++) {
                float[][] theirs = (float[][]) all[r];
                if (theirs.length != mine.length || theirs[i].length != sum.length) {
                    throw new IllegalStateException("allReduceSum: rank " + r + " passed " + theirs.length + " tensors ("
                            + (i < theirs.length ? theirs[i].length + " elements at " + i : "none at " + i) + "), rank "
                            + rank + " passed " + mine.length + " (" + sum.length + " elements at " + i + ")");
                }
                for (int e = 0; e < sum.length; e++) {
                    sum[e] += theirs[i][e];
                }
            }
            Tensor t = tensors.get(i);
            try (Tensor result = Tensor.of(sum, t.shape()).to(t.device())) {
                t.copyFrom(result);
            }
        }
        await("allReduceSum");   // every rank has read every slot before the next operation overwrites them
    }

    @Override
    public Tensor allGather(Tensor local) {
        int[] shape = local.shape();
        if (shape.length == 0) {
            throw new IllegalArgumentException("allGather concatenates along axis 0; a scalar has none");
        }
        Object[] all = exchange(new Object[] {shape, local.toFloatArray()}, "allGather");
        int[] gathered = shape.clone();
        gathered[0] = 0;
        List<float[]> parts = new ArrayList<>();
        for (int r = 0; r < all.length; r++) {
            Object[] theirs = (Object[]) all[r];
            int[] s = (int[]) theirs[0];
            if (s.length != shape.length || !Arrays.equals(Arrays.copyOfRange(s, 1, s.length),
                    Arrays.copyOfRange(shape, 1, shape.length))) {
                throw new IllegalStateException("allGather: rank " + r + " passed shape " + Arrays.toString(s) + ", rank "
                        + rank + " " + Arrays.toString(shape) + " (all but the first axis must agree)");
            }
            gathered[0] += s[0];
            parts.add((float[]) theirs[1]);
        }
        await("allGather");   // every rank has read every slot before the next operation overwrites them
        float[] rows = new float[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, rows, at, p.length);
            at += p.length;
        }
        return Tensor.of(rows, gathered).to(local.device());
    }

    @Override
    public void abort() {
        shared.abort();
    }

    /** Puts {@code mine} in this rank's slot and returns every rank's, once all have put theirs. */
    private Object[] exchange(Object mine, String op) {
        shared.slots[rank] = mine;
        await(op);
        return shared.slots.clone();
    }

    private void await(String op) {
        shared.await(rank, op);
    }
}
