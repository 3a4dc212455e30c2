package org.kmerl.kernels.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How split-K cuts K: the chunk count asked for, chunks rounded down to 16, a short rest. */
class KChunksTest {

    @Test
    void chunksRoundDownSoTheRestIsShort() {
        assertEquals(new CudaMatmul.KChunks(816, 5, 16), CudaMatmul.KChunks.of(4096, 5));   // the CLIP backward's products
        assertEquals(new CudaMatmul.KChunks(1152, 10, 0), CudaMatmul.KChunks.of(11520, 10));
        assertEquals(new CudaMatmul.KChunks(592, 5, 39), CudaMatmul.KChunks.of(2999, 5));
    }

    @Test
    void everyCutCoversKExactlyInChunksOfAtLeastTheMinimum() {
        for (int k = 2 * CudaMatmul.MIN_CHUNK; k <= 20_000; k += 37) {
            for (int splits = 2; splits <= Math.min(16, k / CudaMatmul.MIN_CHUNK); splits++) {
                CudaMatmul.KChunks c = CudaMatmul.KChunks.of(k, splits);
                String what = "K=" + k + " in " + splits + ": " + c;
                assertEquals(k, c.chunk() * c.full() + c.rest(), what);
                assertEquals(splits, c.full(), what);
                assertTrue(c.chunk() % 16 == 0 && c.chunk() >= CudaMatmul.MIN_CHUNK, what);
                assertTrue(c.rest() < 16 * splits, what);
            }
        }
    }
}
