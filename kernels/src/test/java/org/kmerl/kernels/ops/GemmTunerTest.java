package org.kmerl.kernels.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tuner's choice and its memory, with made-up timings (the timing itself needs a card: MatmulParityTest). */
class GemmTunerTest {
    private static final GemmTuner.Shape SQUARE = new GemmTuner.Shape(4096, 4096, 256, 1, false, true);
    private static final GemmTuner.Shape WEIGHT_GRADIENT = new GemmTuner.Shape(256, 768, 816, 22, true, false);

    @Test
    void takesTheFastestAndMeasuresEachShapeOnce() {
        GemmTuner tuner = new GemmTuner();
        List<String> measured = new ArrayList<>();
        Map<String, Double> square = Map.of("v7", 0.30, "v6", 0.35, "v8", 0.26, "v10", 0.27, "v11", 0.25);
        assertEquals("v11", tuner.choose(SQUARE, v -> {
            measured.add(v);
            return square.get(v);
        }));
        assertEquals(GemmTuner.CANDIDATES, measured, "every candidate timed once");
        assertEquals("v11", tuner.choose(SQUARE, v -> {
            throw new AssertionError("a decided shape is not timed again");
        }));
        Map<String, Double> other = Map.of("v7", 0.10, "v6", 0.09, "v8", 0.20, "v10", 0.11, "v11", 0.12);
        assertEquals("v6", tuner.choose(WEIGHT_GRADIENT, other::get), "another shape is timed for itself");
        assertEquals("v11", tuner.choose(SQUARE, square::get), "and the first keeps its choice");
    }

    @Test
    void tiesKeepTheDefault() {
        assertEquals("v10", new GemmTuner().choose(SQUARE, v -> 1.0));
        assertEquals("v10", GemmTuner.CANDIDATES.get(0));
    }

    @Test
    void shapesReadLikeTheBenchmarkRows() {
        assertEquals("4096x4096x256 Bᵀ", SQUARE.toString());
        assertEquals("22x256x768x816 Aᵀ", WEIGHT_GRADIENT.toString());
    }
}
