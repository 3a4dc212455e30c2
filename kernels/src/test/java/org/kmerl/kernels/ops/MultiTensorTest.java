package org.kmerl.kernels.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kmerl.tensor.Tensor;

/** How multi-tensor launches (AdamW and clipping v2) split a model's parameters; runs without a GPU. */
class MultiTensorTest {

    @Test
    void launchesHoldAtMost32ParametersOfSimilarSizeAndCoverEachOnce() {
        List<Tensor[]> params = new ArrayList<>();
        int[] sizes = {5, 70_000, 3, 768, 1, 300_000};
        for (int k = 0; k < 70; k++) {
            Tensor p = Tensor.zeros(sizes[k % sizes.length] + k);
            params.add(new Tensor[] {p, p});
        }
        List<List<Tensor[]>> launches = MultiTensor.launches(params);
        assertEquals(3, launches.size(), "70 parameters need ceil(70 / 32) launches");
        Set<Tensor[]> seen = new HashSet<>();
        int previousSmallest = Integer.MAX_VALUE;
        for (List<Tensor[]> launch : launches) {
            assertTrue(launch.size() <= MultiTensor.PER_LAUNCH);
            int largest = launch.get(0)[0].numel();
            for (Tensor[] o : launch) {
                assertTrue(seen.add(o), "each parameter in one launch only");
                assertTrue(o[0].numel() <= largest, "the launch's first parameter is its largest (it sizes the grid)");
            }
            assertTrue(largest <= previousSmallest, "launches go from large parameters to small ones");
            previousSmallest = launch.get(launch.size() - 1)[0].numel();
        }
        assertEquals(params.size(), seen.size());
    }

    @Test
    void gridHasARowPerTensorAndEnoughBlocksForTheLargest() {
        List<Tensor[]> launch = List.of(new Tensor[] {Tensor.zeros(2560)}, new Tensor[] {Tensor.zeros(3)});
        var grid = MultiTensor.grid(launch);
        assertEquals(2, grid.gridY());
        assertEquals(10, grid.gridX(), "2,560 elements at 256 threads per block");
        assertEquals(1024, MultiTensor.grid(List.<Tensor[]>of(new Tensor[] {Tensor.zeros(10_000_000)})).gridX(),
                "capped: the grid-stride loop covers the rest");
    }

    @Test
    void onlyDenseTensorsFit() {
        Tensor m = Tensor.zeros(3, 4);
        assertTrue(MultiTensor.fits(List.<Tensor[]>of(new Tensor[] {m}, new Tensor[] {Tensor.zeros(5)})));
        assertFalse(MultiTensor.fits(List.<Tensor[]>of(new Tensor[] {m}, new Tensor[] {m.t()})));
    }
}
