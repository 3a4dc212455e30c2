package org.kmerl.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Deterministic release of tensor memory, DJL-style. Every tensor created on a thread while a scope
 * is open there belongs to the innermost scope; closing the scope closes them all, except those
 * handed to {@link #keep}. Typical use is one scope per training step:
 *
 * <pre>{@code
 * try (TensorScope step = TensorScope.open()) {
 *     Tensor loss = model.forward(batch) ...;   // all temporaries are released at the end
 *     return step.keep(loss);                   // except what escapes
 * }
 * }</pre>
 *
 * Long-lived tensors (parameters, gradients, optimizer moments) are created with
 * {@link #unscoped(Supplier)} so that an enclosing step scope never frees them.
 */
public final class TensorScope implements AutoCloseable {
    private static final ThreadLocal<ArrayDeque<TensorScope>> STACK = ThreadLocal.withInitial(ArrayDeque::new);
    private static final ThreadLocal<Integer> UNSCOPED_DEPTH = ThreadLocal.withInitial(() -> 0);

    private final Set<Tensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Thread thread = Thread.currentThread();
    private boolean closed;

    private TensorScope() {
    }

    /** Opens a scope on the current thread; it must be closed on the same thread. */
    public static TensorScope open() {
        TensorScope scope = new TensorScope();
        STACK.get().push(scope);
        return scope;
    }

    /** Runs {@code body} with scoping suspended: the tensors it creates belong to no scope. */
    public static <T> T unscoped(Supplier<T> body) {
        UNSCOPED_DEPTH.set(UNSCOPED_DEPTH.get() + 1);
        try {
            return body.get();
        } finally {
            UNSCOPED_DEPTH.set(UNSCOPED_DEPTH.get() - 1);
        }
    }

    static void register(Tensor t) {
        if (UNSCOPED_DEPTH.get() > 0) {
            return;
        }
        TensorScope top = STACK.get().peek();
        if (top != null) {
            top.owned.add(t);
        }
    }

    /**
     * Detaches the tensors from this scope so they survive its closing; they move to the enclosing
     * scope if there is one. Returns the first argument for chaining.
     */
    public Tensor keep(Tensor first, Tensor... more) {
        moveOut(first);
        for (Tensor t : more) {
            moveOut(t);
        }
        return first;
    }

    private void moveOut(Tensor t) {
        if (owned.remove(t)) {
            ArrayDeque<TensorScope> stack = STACK.get();
            TensorScope parent = null;
            boolean seenSelf = false;
            for (TensorScope s : stack) {
                if (seenSelf) {
                    parent = s;
                    break;
                }
                seenSelf = s == this;
            }
            if (parent != null) {
                parent.owned.add(t);
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("a TensorScope must be closed on the thread that opened it");
        }
        ArrayDeque<TensorScope> stack = STACK.get();
        if (stack.peek() != this) {
            throw new IllegalStateException("TensorScopes must be closed innermost first");
        }
        stack.pop();
        closed = true;
        List<Tensor> toClose = new ArrayList<>(owned);
        owned.clear();
        for (Tensor t : toClose) {
            t.close();
        }
    }
}
