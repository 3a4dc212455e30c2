package org.kmerl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmerl.tensor.backend.AttentionKernels;
import org.kmerl.tensor.backend.Backend;
import org.kmerl.tensor.backend.BackendProvider;
import org.kmerl.tensor.backend.ElementwiseKernels;
import org.kmerl.tensor.backend.IndexKernels;
import org.kmerl.tensor.backend.LossKernels;
import org.kmerl.tensor.backend.MatmulKernels;
import org.kmerl.tensor.backend.MemoryKernels;
import org.kmerl.tensor.backend.NormalizationKernels;
import org.kmerl.tensor.backend.OptimizerKernels;
import org.kmerl.tensor.backend.Probe;
import org.kmerl.tensor.backend.RandomKernels;
import org.kmerl.tensor.backend.ReductionKernels;

/**
 * Operands on different devices are rejected before any kernel runs. A stand-in device (it can
 * only allocate) plays the second device, registered through {@link Backends#register}.
 */
class DeviceMixingTest {
    private static final Device OTHER = Device.cuda(9);

    /** Allocation only: enough to create tensors that live "elsewhere". */
    private static final class AllocateOnlyBackend implements Backend {
        private final MemoryStats stats = new MemoryStats();

        @Override
        public Device device() {
            return OTHER;
        }

        @Override
        public String describe() {
            return "allocation-only stand-in";
        }

        @Override
        public MemoryStats memoryStats() {
            return stats;
        }

        @Override
        public MemoryKernels memory() {
            Backend self = this;
            return new MemoryKernels() {
                @Override
                public Storage allocate(DType dtype, int length) {
                    long bytes = (long) length * dtype.byteSize();
                    stats.onAllocate(bytes);
                    return new Storage(self, dtype, length, () -> stats.onFree(bytes)) { };
                }

                @Override
                public Storage upload(float[] data) {
                    return allocate(DType.FLOAT32, data.length);
                }

                @Override
                public Storage upload(int[] data) {
                    return allocate(DType.INT32, data.length);
                }

                @Override
                public void download(Tensor src, float[] dst) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void download(Tensor src, int[] dst) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void copy(Tensor src, Tensor dst) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void fill(Tensor dst, float value) {
                    throw new UnsupportedOperationException();
                }
            };
        }

        // No kernels: every op must fail its device check before reaching one.
        @Override public ElementwiseKernels elementwise() { throw new AssertionError("kernel reached"); }
        @Override public ReductionKernels reductions() { throw new AssertionError("kernel reached"); }
        @Override public MatmulKernels matmul() { throw new AssertionError("kernel reached"); }
        @Override public IndexKernels indexing() { throw new AssertionError("kernel reached"); }
        @Override public NormalizationKernels normalization() { throw new AssertionError("kernel reached"); }
        @Override public AttentionKernels attention() { throw new AssertionError("kernel reached"); }
        @Override public LossKernels losses() { throw new AssertionError("kernel reached"); }
        @Override public OptimizerKernels optimizers() { throw new AssertionError("kernel reached"); }
        @Override public RandomKernels random() { throw new AssertionError("kernel reached"); }
    }

    @BeforeAll
    static void registerStandIn() {
        Backend backend = new AllocateOnlyBackend();
        Backends.register(new BackendProvider() {
            @Override
            public Device.Kind kind() {
                return Device.Kind.CUDA;
            }

            @Override
            public Probe probe() {
                return new Probe(true, "stand-in", List.of());
            }

            @Override
            public Backend open(int deviceIndex) {
                return backend;
            }
        });
    }

    @Test
    void mixingDevicesNamesTheOpShapesAndDevices() {
        Tensor here = Tensor.zeros(2, 3);
        Tensor there = Tensor.zeros(DType.FLOAT32, OTHER, 2, 3);
        assertEquals(OTHER, there.device());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> here.add(there));
        assertEquals("add: tensors are on different devices: [2, 3]@cpu [2, 3]@cuda:9", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> here.matmul(there.t()));
        assertThrows(IllegalArgumentException.class, () -> JoinOps.concat(List.of(here, there), 0));
        assertThrows(IllegalArgumentException.class, () -> here.gather(0, Tensor.zeros(DType.INT32, OTHER, 1, 3)));
        IllegalArgumentException attention = assertThrows(IllegalArgumentException.class,
                () -> AttentionOps.forward(here.reshape(1, 1, 2, 3), there.reshape(1, 1, 2, 3),
                        there.reshape(1, 1, 2, 3), null, org.kmerl.tensor.backend.AttentionConfig.noDropout(1f)));
        assertTrue(attention.getMessage().startsWith("attention: tensors are on different devices"),
                attention.getMessage());
    }

    @Test
    void moveToKeepsATensorThatIsThereAndClosesTheHostCopyOtherwise() {
        Tensor here = Tensor.zeros(2, 3);
        assertSame(here, here.moveTo(Device.CPU));
        assertFalse(here.isClosed());
        Tensor there = here.moveTo(OTHER);
        assertEquals(OTHER, there.device());
        assertArrayEquals(new int[] {2, 3}, there.shape());
        assertTrue(here.isClosed(), "the host copy is released");
    }
}
