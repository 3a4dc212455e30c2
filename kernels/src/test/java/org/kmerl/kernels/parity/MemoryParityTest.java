package org.kmerl.kernels.parity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kmerl.kernels.CudaBackend;
import org.kmerl.tensor.DType;
import org.kmerl.tensor.MemoryStats;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.testing.TestData;

/** Transfers, strided copies, conversions, fills and the caching allocator. */
class MemoryParityTest {

    @Test
    void roundTripsAndLayouts() {
        Gpu.backend();
        TestData data = new TestData(1);
        for (int trial = 0; trial < 8; trial++) {
            int[] shape = data.shape(1 + trial % 4);
            Tensor x = data.uniform(-5, 5, shape);
            for (Tensor g : Gpu.layouts(x)) {
                assertArrayEquals(x.toFloatArray(), g.toFloatArray(), "layout of " + java.util.Arrays.toString(shape));
                assertArrayEquals(x.toFloatArray(), g.contiguous().toFloatArray(), "contiguous()");
            }
            int[] ints = {-7, 0, 3, Integer.MAX_VALUE, Integer.MIN_VALUE};
            assertArrayEquals(ints, Tensor.ofInts(ints, 5).to(Gpu.DEVICE).toIntArray());
        }
    }

    @Test
    void largeTransfersPinnedAndPageable() {
        CudaBackend b = Gpu.backend();
        int n = org.kmerl.kernels.ops.CudaMemory.PINNED_THRESHOLD + 3;
        Tensor x = new TestData(2).normal(n);
        int[] ints = new int[n];
        for (int i = 0; i < n; i++) {
            ints[i] = i * 31 - 7;
        }
        for (boolean pinned : new boolean[] {true, false}) {
            b.memory().setPinnedTransfers(pinned);
            assertArrayEquals(x.toFloatArray(), Gpu.on(x).toFloatArray(), "floats, pinned " + pinned);
            assertArrayEquals(ints, Tensor.ofInts(ints, n).to(Gpu.DEVICE).toIntArray(), "ints, pinned " + pinned);
        }
        b.memory().setPinnedTransfers(Boolean.getBoolean("kmerl.cuda.pinned"));
    }

    @Test
    void convertsBetweenFloatAndIntLikeJava() {
        Gpu.backend();
        float[] values = {-2.7f, -0.5f, 0f, 0.99f, 3.5f, 1e10f, -1e10f, Float.NaN};
        Tensor x = Tensor.of(values, values.length);
        Gpu.assertClose(x.toInt(), Gpu.on(x).toInt(), 0, 0, "float -> int truncates and saturates");
        Tensor i = Tensor.ofInts(new int[] {-3, 0, 5, 1 << 25}, 4);
        Gpu.assertClose(i.toFloat(), Gpu.on(i).toFloat(), 0, 0, "int -> float");
        Gpu.assertClose(TestData.permuted(data2x3()).toInt(), Gpu.permuted(Gpu.on(data2x3())).toInt(), 0, 0, "permuted -> int");
    }

    private static Tensor data2x3() {
        return Tensor.of(new float[] {1.5f, -2.5f, 3, 4, 5, 6}, 2, 3);
    }

    @Test
    void fillsAnyView() {
        Gpu.backend();
        Tensor g = Tensor.zeros(DType.FLOAT32, Gpu.DEVICE, 4, 6);
        g.slice(1, 1, 6, 2).fill(2.5f);
        Tensor c = Tensor.zeros(4, 6);
        c.slice(1, 1, 6, 2).fill(2.5f);
        Gpu.assertClose(c, g, 0, 0, "strided fill");
        Tensor ints = Tensor.zeros(DType.INT32, Gpu.DEVICE, 5).fill(7.9f);
        assertArrayEquals(new int[] {7, 7, 7, 7, 7}, ints.toIntArray());
    }

    @Test
    void allocatorReusesBlocksAndTracksLiveMemory() {
        CudaBackend b = Gpu.backend();
        MemoryStats stats = b.memoryStats();
        long live = stats.liveStorages();
        long bytes = stats.liveBytes();
        try (Tensor t = Tensor.zeros(DType.FLOAT32, Gpu.DEVICE, 1000)) {
            assertEquals(live + 1, stats.liveStorages());
            assertEquals(bytes + 4000, stats.liveBytes());
        }
        assertEquals(live, stats.liveStorages(), "closing the tensor frees its storage (leak check)");
        assertTrue(stats.cachedBytes() >= 4000, "the block went to the cache: " + stats);
        long allocations = stats.allocations();
        long cached = stats.cachedBytes();
        try (Tensor t = Tensor.zeros(DType.FLOAT32, Gpu.DEVICE, 1000)) {
            assertEquals(allocations + 1, stats.allocations());
            assertTrue(stats.cachedBytes() < cached, "served from the cache: " + stats);
        }
        b.allocator().emptyCache();
        assertEquals(0, stats.cachedBytes());
    }
}
