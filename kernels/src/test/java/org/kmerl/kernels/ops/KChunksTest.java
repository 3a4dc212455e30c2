package org.kmerl.kernels.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How split-K cuts K: equal chunks where a nearby count allows, else the count asked for and a shorter rest. */
class KChunksTest {

    @Test
    void equalChunksFromANearbyCount() {
        assertEquals(new CudaMatmul.KChunks(1024, 4, 0), CudaMatmul.KChunks.of(4096, 5));   // the CLIP backward's products
        assertEquals(new CudaMatmul.KChunks(1152, 10, 0), CudaMatmul.KChunks.of(11520, 10));
        assertEquals(new CudaMatmul.KChunks(512, 8, 0), CudaMatmul.KChunks.of(4096, 8));
    }

    @Test
    void aShorterRestWhereNoCountDividesK() {
        assertEquals(new CudaMatmul.KChunks(608, 4, 567), CudaMatmul.KChunks.of(2999, 5));
        assertEquals(new CudaMatmul.KChunks(528, 1, 502), CudaMatmul.KChunks.of(1030, 2));
    }

    @Test
    void everyCutCoversKExactlyInChunksOfAtLeastTheMinimum() {
        for (int k = 2 * CudaMatmul.MIN_CHUNK; k <= 20_000; k += 37) {
            for (int splits = 2; splits <= Math.min(16, k / CudaMatmul.MIN_CHUNK); splits++) {
                CudaMatmul.KChunks c = CudaMatmul.KChunks.of(k, splits);
                String what = "K=" + k + " in " + splits + ": " + c;
                assertEquals(k, c.chunk() * c.full() + c.rest(), what);
                assertTrue(c.chunk() % 16 == 0 && c.rest() < c.chunk() && c.full() >= 1, what);
                assertTrue(Math.abs(c.full() + (c.rest() > 0 ? 1 : 0) - splits) <= 2, what);
            }
        }
    }
}
