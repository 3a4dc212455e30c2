package org.kmerl.kernels.parity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
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

    /**
     * contiguous() of head splits, transposes and sliced views with each copy variant forced (v2 and v3
     * fall back to v1 where the layout does not fit them): the values must be the source's exactly.
     */
    @Test
    void copyVariantsOnHeadSplitsAndTransposes() {
        Gpu.forEachVariant("copy", variant -> {
            TestData data = new TestData(11);
            Tensor heads = data.normal(3, 37, 5, 70);
            Tensor square = data.normal(65, 33);
            Tensor batched = data.normal(4, 45, 31);
            Tensor heads64 = data.normal(2, 9, 3, 65);
            List<Map.Entry<Tensor, UnaryOperator<Tensor>>> views = List.of(
                    Map.entry(heads, t -> t.permute(0, 2, 1, 3)),                 // [B, T, H, D] -> [B, H, T, D]: rows (v2)
                    Map.entry(heads, t -> t.permute(0, 2, 3, 1)),                 // D before T: a transpose (v3)
                    Map.entry(square, Tensor::t),                                 // 2-D transpose (v3)
                    Map.entry(batched, t -> t.transpose(1, 2)),                   // batched transpose (v3)
                    Map.entry(batched, t -> t.slice(2, 1, 30, 1).transpose(0, 1)), // offset rows (v2)
                    Map.entry(batched, t -> t.slice(1, 3, 40, 1).transpose(1, 2)), // offset transpose (v3)
                    Map.entry(heads, t -> t.slice(3, 0, 70, 2)),                  // stride-2 rows: v1
                    Map.entry(heads64, t -> t.slice(3, 0, 64, 1).permute(0, 2, 1, 3)), // int4 rows (v2)
                    Map.entry(heads64, t -> t.slice(3, 1, 65, 1).permute(0, 2, 1, 3)), // offset 1: scalar rows
                    Map.entry(heads64, t -> t.slice(3, 0, 32, 1).permute(2, 0, 1, 3))); // 8 int4 per row
            for (var v : views) {
                Tensor cpu = v.getValue().apply(v.getKey());
                Tensor gpu = v.getValue().apply(Gpu.on(v.getKey()));
                String what = variant + " contiguous() of " + Arrays.toString(cpu.shape()) + " strides "
                        + Arrays.toString(cpu.strides());
                assertArrayEquals(cpu.contiguous().toFloatArray(), gpu.contiguous().toFloatArray(), what);
                Tensor gpuInts = v.getValue().apply(Gpu.on(v.getKey()).toInt());
                assertArrayEquals(cpu.toInt().toIntArray(), gpuInts.contiguous().toIntArray(), "int " + what);
            }
        });
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
