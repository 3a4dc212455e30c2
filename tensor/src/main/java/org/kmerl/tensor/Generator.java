package org.kmerl.tensor;

/**
 * An explicit, seeded source of random tensors. The state is two numbers, the seed and an offset
 * into the Philox stream; each call consumes a range of the stream, so a generator restored with
 * {@link #setState} repeats exactly what it did before, on any backend and thread count.
 *
 * <p>Not thread-safe: give each thread (or each data loader, model, dropout site) its own generator,
 * or derive independent ones with {@link #fork()}.
 */
public final class Generator {
    private long seed;
    private long offset;

    public Generator(long seed) {
        this(seed, 0L);
    }

    private Generator(long seed, long offset) {
        this.seed = seed;
        this.offset = offset;
    }

    public long seed() {
        return seed;
    }

    public long offset() {
        return offset;
    }

    /** {seed, offset}: everything needed to resume this stream. */
    public long[] state() {
        return new long[] {seed, offset};
    }

    public static Generator fromState(long[] state) {
        Generator g = new Generator(0);
        g.setState(state);
        return g;
    }

    /** Continues from a state saved by {@link #state()}. */
    public void setState(long[] state) {
        if (state.length != 2 || state[1] < 0) {
            throw new IllegalArgumentException("generator state must be {seed, offset >= 0}");
        }
        this.seed = state[0];
        this.offset = state[1];
    }

    /** Reserves {@code count} consecutive stream words and returns the first. */
    public long reserve(long count) {
        long start = offset;
        // Philox blocks (4 words) are never shared between two calls.
        offset += (count + 3) & ~3L;
        return start;
    }

    /** A new generator with a seed drawn from this one (independent stream). */
    public Generator fork() {
        long at = reserve(4);
        int[] words = new int[4];
        Philox.block(seed, at >>> 2, words);
        return new Generator(((long) words[0] << 32) ^ (words[1] & 0xFFFFFFFFL));
    }

    public Tensor uniform(float low, float high, int... shape) {
        return uniform(low, high, Device.CPU, shape);
    }

    public Tensor uniform(float low, float high, Device device, int... shape) {
        Tensor out = Tensor.zeros(DType.FLOAT32, device, shape);
        out.backend().random().uniform(out, seed, reserve(out.numel()), low, high);
        return out;
    }

    public Tensor normal(float mean, float std, int... shape) {
        return normal(mean, std, Device.CPU, shape);
    }

    public Tensor normal(float mean, float std, Device device, int... shape) {
        Tensor out = Tensor.zeros(DType.FLOAT32, device, shape);
        out.backend().random().normal(out, seed, reserve(2L * out.numel()), mean, std);
        return out;
    }

    /** Normal(mean, std) restricted to [low, high], like PyTorch's {@code trunc_normal_}. */
    public Tensor truncatedNormal(float mean, float std, float low, float high, Device device, int... shape) {
        if (!(low < high)) {
            throw new IllegalArgumentException("truncatedNormal: low " + low + " must be below high " + high);
        }
        Tensor out = Tensor.zeros(DType.FLOAT32, device, shape);
        out.backend().random().truncatedNormal(out, seed, reserve(out.numel()), mean, std, low, high);
        return out;
    }

    public Tensor truncatedNormal(float mean, float std, float low, float high, int... shape) {
        return truncatedNormal(mean, std, low, high, Device.CPU, shape);
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates on Philox draws). */
    public int[] permutation(int n) {
        long start = reserve(n);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = (int) (Philox.uniform(seed, start + i) * (i + 1));
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }
}
