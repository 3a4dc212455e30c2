package org.kmerl.kernels.ops;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.kmerl.kernels.runtime.CudaStorage;
import org.kmerl.kernels.runtime.DevicePointer;
import org.kmerl.kernels.runtime.Grid;
import org.kmerl.kernels.runtime.Struct;
import org.kmerl.tensor.Tensor;

/**
 * Launches that work on many tensors at once (optimizer.cu's {@code TensorLists}): a model's many small
 * parameters (biases, norm weights) would each cost a kernel launch of a few microseconds that moves
 * almost nothing. An entry is one tensor per list (AdamW: parameter, gradient and the two moments), all
 * of the same size and contiguous.
 */
final class MultiTensor {
    /** MULTI_TENSORS in optimizer.cu. */
    static final int PER_LAUNCH = 32;
    /** Blocks per tensor at most; the kernels' grid-stride loops cover larger tensors. */
    private static final int MAX_BLOCKS_PER_TENSOR = 1024;

    private MultiTensor() {
    }

    /** Groups of at most PER_LAUNCH entries of similar sizes, largest first, so that few blocks idle. */
    static List<List<Tensor[]>> launches(List<Tensor[]> entries) {
        List<Tensor[]> bySize = new ArrayList<>(entries);
        bySize.sort(Comparator.comparingInt((Tensor[] e) -> e[0].numel()).reversed());
        List<List<Tensor[]>> launches = new ArrayList<>();
        for (int i = 0; i < bySize.size(); i += PER_LAUNCH) {
            launches.add(bySize.subList(i, Math.min(bySize.size(), i + PER_LAUNCH)));
        }
        return launches;
    }

    /** The {@code TensorLists<lists>} argument of one launch: the pointers list by list, then the sizes. */
    static Struct lists(List<Tensor[]> launch, int lists) {
        Struct s = Struct.ofPointersThenInts(lists * PER_LAUNCH, PER_LAUNCH);
        for (int l = 0; l < lists; l++) {
            DevicePointer[] pointers = new DevicePointer[launch.size()];
            for (int k = 0; k < pointers.length; k++) {
                pointers[k] = CudaStorage.at(launch.get(k)[l]);
            }
            s.put(pointers, PER_LAUNCH);
        }
        return s.put(launch.stream().mapToInt(e -> e[0].numel()).toArray(), PER_LAUNCH);
    }

    /** Block row y for the launch's tensor y, along x enough blocks for its largest tensor (the first). */
    static Grid grid(List<Tensor[]> launch) {
        int blocks = Math.min(MAX_BLOCKS_PER_TENSOR, Grid.linear(launch.get(0)[0].numel(), DeviceKernels.THREADS).gridX());
        return Grid.of(blocks, launch.size(), 1, DeviceKernels.THREADS, 1);
    }

    /** Whether every tensor can go into a multi-tensor launch (dense, int-indexable). */
    static boolean fits(List<Tensor[]> entries) {
        return entries.stream().allMatch(e -> java.util.Arrays.stream(e).allMatch(Tensor::isContiguous));
    }
}
