package org.kmerl.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;
import org.kmerl.tensor.testing.TensorAssert;

/** The tape itself: ordering, accumulation, retained graphs, grad mode, detach. */
class BackpropTest {

    @Test
    void aGraphTenThousandOpsDeepDoesNotOverflowTheStack() {
        Variable x = Variable.leaf(Tensor.of(new float[] {1f}));
        Variable y = x;
        for (int i = 0; i < 10_000; i++) {
            y = y.mul(1.0001f).add(0f);
        }
        y.sum().backward();
        assertEquals(Math.pow(1.0001, 10_000), x.grad().item(), 1e-2);
    }

    @Test
    void sharedSubexpressionsReceiveEveryPathsGradient() {
        Variable x = Variable.leaf(Tensor.of(new float[] {3f}));
        Variable a = x.mul(x);           // x^2
        Variable b = a.add(x).mul(a);    // (x^2 + x) x^2 = x^4 + x^3
        b.sum().backward();
        assertEquals(4 * 27 + 3 * 9, x.grad().item(), 1e-4); // 4x^3 + 3x^2
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
        Variable w = Variable.leaf(Tensor.of(new float[] {1f, 2f}));
        w.mul(w).sum().backward();
        w.mul(w).sum().backward();
        assertArrayEquals(new float[] {4f, 8f}, w.grad().toFloatArray());
        w.zeroGrad();
        assertArrayEquals(new float[] {0f, 0f}, w.grad().toFloatArray());
        w.clearGrad();
        assertNull(w.grad());
    }

    @Test
    void aZeroedGradientIsOverwrittenByTheNextBackwardInItsOwnBuffer() {
        Variable w = Variable.leaf(Tensor.of(new float[] {1f, 2f}));
        w.mul(w).sum().backward();
        Tensor buffer = w.grad();
        w.zeroGrad();   // lazily: the next backward writes instead of adding
        w.mul(w).sum().backward();
        assertArrayEquals(new float[] {2f, 4f}, w.grad().toFloatArray());
        w.mul(w).sum().backward();
        assertArrayEquals(new float[] {4f, 8f}, w.grad().toFloatArray(), "and accumulates after that");
        assertSame(buffer, w.grad(), "the gradient buffer is reused, not reallocated");
        w.zeroGrad();
        w.zeroGrad();
        assertArrayEquals(new float[] {0f, 0f}, w.grad().toFloatArray(), "read before a backward: zeros");
        w.mul(w).sum().backward();
        assertArrayEquals(new float[] {2f, 4f}, w.grad().toFloatArray());
    }

    @Test
    void secondBackwardNeedsARetainedGraph() {
        Variable x = Variable.leaf(Tensor.of(new float[] {2f}));
        Variable y = x.exp().sum();
        y.backward(true);
        y.backward();
        assertEquals(2 * Math.exp(2), x.grad().item(), 1e-4);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("second time") && e.getMessage().contains("retain"), e.getMessage());
    }

    @Test
    void gradModeDisabledRecordsNothing() {
        Variable x = Variable.leaf(Tensor.ones(2));
        Variable y;
        try (GradMode.Scope off = GradMode.disabled()) {
            y = x.mul(x);
            try (GradMode.Scope on = GradMode.enabled()) {
                assertTrue(x.mul(x).requiresGrad());
            }
        }
        assertFalse(y.requiresGrad());
        assertTrue(GradMode.isEnabled());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
        assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
    }

    @Test
    void detachCutsTheGraph() {
        Variable x = Variable.leaf(Tensor.of(new float[] {3f}));
        Variable y = x.mul(x.detach()); // d/dx = x (not 2x)
        y.sum().backward();
        assertEquals(3f, x.grad().item());
    }

    @Test
    void retainGradKeepsANonLeafGradient() {
        Variable x = Variable.leaf(Tensor.of(new float[] {1f, 2f}));
        Variable h = x.mul(3f).retainGrad();
        h.square().sum().backward();
        assertArrayEquals(new float[] {6f, 12f}, h.grad().toFloatArray()); // 2h
        assertArrayEquals(new float[] {18f, 36f}, x.grad().toFloatArray());
    }

    @Test
    void nonScalarOutputsNeedAnExplicitGradient() {
        Variable x = Variable.leaf(Tensor.of(new float[] {1f, 2f}));
        Variable y = x.mul(2f);
        assertThrows(IllegalStateException.class, y::backward);
        y.backward(Tensor.of(new float[] {1f, 10f}), false);
        assertArrayEquals(new float[] {2f, 20f}, x.grad().toFloatArray());
    }

    @Test
    void constantsAndIntTensorsGetNoGradient() {
        Variable c = Variable.constant(Tensor.ones(2));
        Variable x = Variable.leaf(Tensor.ones(2));
        x.mul(c).sum().backward();
        assertNull(c.grad());
        assertThrows(IllegalArgumentException.class, () -> Variable.leaf(Tensor.ofInts(new int[] {1})));
    }

    @Test
    void gradientsSurviveTheStepScopeThatComputedThem() {
        Variable w = Variable.leaf(Tensor.of(new float[] {1f, -1f}));
        try (TensorScope step = TensorScope.open()) {
            w.mul(w).sum().backward();
        }
        assertFalse(w.grad().isClosed());
        TensorAssert.assertClose(new float[] {2f, -2f}, w.grad(), 0, 0, "grad");
    }

    @Test
    void gradCheckCatchesAWrongBackward() {
        // An op whose backward is off by a factor of 2: gradcheck must fail on it.
        java.util.function.Function<Variable[], Variable> wrong = x -> Variable.record("wrongSquare",
                x[0].data().square(), g -> new Tensor[] {g.mul(x[0].data())}, x[0]);
        AssertionError e = assertThrows(AssertionError.class,
                () -> GradCheck.standard().check("wrong square", wrong, Tensor.of(new float[] {0.5f, 1.5f})));
        assertTrue(e.getMessage().contains("2 mismatches"), e.getMessage());
    }

    @Test
    void setDataReplacesLeavesOnly() {
        Variable w = Variable.leaf(Tensor.zeros(2));
        w.setData(Tensor.ones(2));
        assertArrayEquals(new float[] {1f, 1f}, w.data().toFloatArray());
        assertThrows(org.kmerl.tensor.ShapeException.class, () -> w.setData(Tensor.ones(3)));
        assertThrows(IllegalStateException.class, () -> w.mul(2f).setData(Tensor.ones(2)));
    }
}
