package org.kmerl.tensor;

/**
 * Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11), the
 * counter-based generator used by cuRAND and PyTorch's CUDA backend. A 64-bit key (the seed) and a
 * 128-bit counter map to four 32-bit random words, with no state carried between calls: element
 * {@code i} of any random tensor depends only on (seed, offset + i). That is what makes random
 * tensors identical on every backend and at every thread count.
 *
 * <p>Layout used throughout kmerl: the stream is a sequence of 32-bit words, word w being lane
 * {@code w & 3} of block {@code w >>> 2}. A uniform element takes one word; a normal element takes
 * two consecutive words (an even-aligned pair, Box-Muller). Generators hand out word offsets.
 */
public final class Philox {
    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final double TWO_PI = 2 * Math.PI;

    private Philox() {
    }

    /** The four output words for counter {@code (block, 0)} under {@code seed}. */
    public static void block(long seed, long block, int[] out) {
        philox((int) block, (int) (block >>> 32), 0, 0, (int) seed, (int) (seed >>> 32), out);
    }

    /** Ten Philox rounds on the 128-bit counter (c0..c3) with the 64-bit key (k0, k1). */
    public static void philox(int c0, int c1, int c2, int c3, int k0, int k1, int[] out) {
        for (int round = 0; round < 10; round++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n1 = (int) p1;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            int n3 = (int) p0;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
            k0 += W0;
            k1 += W1;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

    /** A uniform float in [0, 1) from the top 24 bits of a word. */
    public static float toUnit(int word) {
        return (word >>> 8) * 0x1.0p-24f;
    }

    /** A uniform double in (0, 1] from a word, safe as the argument of log. */
    public static double toOpenUnit(int word) {
        return ((word & 0xFFFFFFFFL) + 1.0) * 0x1.0p-32;
    }

    /** The uniform [0,1) value of stream word {@code word}. */
    public static float uniform(long seed, long word) {
        int[] words = new int[4];
        block(seed, word >>> 2, words);
        return toUnit(words[(int) (word & 3)]);
    }

    /** The standard normal value made from the two words starting at the even position {@code word}. */
    public static double normal(long seed, long word) {
        int[] words = new int[4];
        block(seed, word >>> 2, words);
        int lane = (int) (word & 2);
        return boxMuller(words[lane], words[lane + 1]);
    }

    /** One normal value from two random words (the cosine half of Box-Muller). */
    public static double boxMuller(int word1, int word2) {
        double u1 = toOpenUnit(word1);
        double u2 = toOpenUnit(word2);
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(TWO_PI * u2);
    }

    /**
     * Fills {@code out[0..n)} with the uniform values of words {@code first .. first+n-1}, computing
     * each Philox block once.
     */
    public static void uniforms(long seed, long first, float[] out, int outOffset, int n) {
        int[] words = new int[4];
        long block = -1;
        for (int i = 0; i < n; i++) {
            long w = first + i;
            if ((w >>> 2) != block) {
                block = w >>> 2;
                block(seed, block, words);
            }
            out[outOffset + i] = toUnit(words[(int) (w & 3)]);
        }
    }
}
