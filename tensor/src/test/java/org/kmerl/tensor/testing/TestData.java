package org.kmerl.tensor.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;

/** Random inputs for tests: values, shapes with odd sizes, and the same values in non-contiguous layouts. */
public final class TestData {
    private final Random random;
    private final Generator generator;

    public TestData(long seed) {
        this.random = new Random(seed);
        this.generator = new Generator(seed);
    }

    public Random random() {
        return random;
    }

    public Tensor uniform(float lo, float hi, int... shape) {
        return generator.uniform(lo, hi, shape);
    }

    public Tensor normal(int... shape) {
        return generator.normal(0f, 1f, shape);
    }

    /** A random shape of the given rank with sizes drawn from 1, 2, 3, 5, 7, 8, 13. */
    public int[] shape(int rank) {
        int[] sizes = {1, 2, 3, 5, 7, 8, 13};
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) {
            s[i] = sizes[random.nextInt(sizes.length)];
        }
        return s;
    }

    /** A shape that broadcasts to {@code shape}: some axes set to 1, maybe fewer leading axes. */
    public int[] broadcastable(int[] shape) {
        int drop = shape.length == 0 ? 0 : random.nextInt(shape.length + 1);
        int[] s = new int[shape.length - drop];
        for (int i = 0; i < s.length; i++) {
            s[i] = random.nextBoolean() ? 1 : shape[i + drop];
        }
        return s;
    }

    /** The same values, laid out with a stride of 2 along the last axis (a slice of a larger tensor). */
    public static Tensor strided(Tensor t) {
        if (t.rank() == 0 || t.numel() == 0) {
            return t;
        }
        int[] wide = t.shape();
        wide[wide.length - 1] = Math.max(1, wide[wide.length - 1] * 2);
        Tensor base = Tensor.zeros(wide);
        Tensor view = base.slice(-1, 0, wide[wide.length - 1], 2);
        view.copyFrom(t);
        return view;
    }

    /** The same values stored in reversed axis order and presented through a permutation. */
    public static Tensor permuted(Tensor t) {
        int r = t.rank();
        if (r < 2) {
            return strided(t);
        }
        int[] reverse = new int[r];
        for (int i = 0; i < r; i++) {
            reverse[i] = r - 1 - i;
        }
        return t.permute(reverse).contiguous().permute(reverse);
    }

    /** The tensor in its three layouts: contiguous, strided, permuted. */
    public static List<Tensor> layouts(Tensor t) {
        List<Tensor> out = new ArrayList<>();
        out.add(t);
        out.add(strided(t));
        out.add(permuted(t));
        return out;
    }
}
