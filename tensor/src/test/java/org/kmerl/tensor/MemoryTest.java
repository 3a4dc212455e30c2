package org.kmerl.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Deterministic release: what a GPU backend relies on to not leak. Storages are checked one by
 * one ({@link Storage#isReleased()}), because the backend-wide counters may also fall at any moment
 * when the garbage collector releases tensors that other tests dropped without closing.
 */
class MemoryTest {
    private static final MemoryStats STATS = Backends.cpu().memoryStats();

    @Test
    void storageIsReleasedWhenTheLastViewCloses() {
        Tensor x = Tensor.zeros(4, 4);
        Storage storage = x.storage();
        Tensor view = x.t();
        x.close();
        assertFalse(storage.isReleased(), "a view still holds the storage");
        view.close();
        assertTrue(storage.isReleased());
        x.close(); // idempotent
    }

    @Test
    void usingAClosedTensorFailsClearly() {
        Tensor x = Tensor.ones(2);
        x.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.add(x));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void scopeReleasesEverythingCreatedInsideExceptWhatIsKept() {
        List<Storage> storages = new ArrayList<>();
        Tensor kept;
        try (TensorScope scope = TensorScope.open()) {
            Tensor a = Tensor.ones(3, 3);
            Tensor b = a.mul(a).add(a).sum(0);
            Tensor c = b.softmax(0).reshape(3, 1).matmul(Tensor.ones(1, 2));
            kept = scope.keep(b.exp());
            for (Tensor t : new Tensor[] {a, b, c}) {
                storages.add(t.storage());
            }
        }
        for (Storage s : storages) {
            assertTrue(s.isReleased(), "every temporary of the scope is released");
        }
        assertFalse(kept.isClosed());
        Storage keptStorage = kept.storage();
        kept.close();
        assertTrue(keptStorage.isReleased());
    }

    @Test
    void nestedScopesHandKeptTensorsOutward() {
        Tensor survivor;
        try (TensorScope outer = TensorScope.open()) {
            try (TensorScope inner = TensorScope.open()) {
                survivor = inner.keep(Tensor.ones(2).add(1f));
                Tensor.ones(5);
            }
            assertFalse(survivor.isClosed());
        }
        assertTrue(survivor.isClosed(), "the outer scope closed what the inner one kept");
    }

    @Test
    void unscopedTensorsOutliveTheScope() {
        Tensor persistent;
        try (TensorScope scope = TensorScope.open()) {
            persistent = TensorScope.unscoped(() -> Tensor.ones(2));
        }
        assertFalse(persistent.isClosed());
        persistent.close();
    }

    @Test
    void statisticsCountAllocationsAndBytes() {
        long allocations = STATS.allocations();
        STATS.resetPeak();
        long liveBefore = STATS.liveBytes();
        Tensor big = Tensor.zeros(1000);
        assertEquals(allocations + 1, STATS.allocations());
        long liveDuring = STATS.liveBytes();
        assertTrue(liveDuring - liveBefore <= 4000, "at most the new 4000 bytes were added");
        assertTrue(STATS.peakBytes() >= liveDuring);
        big.close();
        assertTrue(STATS.liveBytes() <= liveDuring - 4000, "the 4000 bytes were returned");
    }
}
