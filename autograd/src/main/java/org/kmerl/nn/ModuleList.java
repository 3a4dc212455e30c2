package org.kmerl.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/** An indexed list of sub-modules, named "0", "1", ... in the state dict (as PyTorch's ModuleList). */
public final class ModuleList<M extends Module> extends Module implements Iterable<M> {
    private final List<M> items = new ArrayList<>();

    public M add(M module) {
        items.add(registerModule(Integer.toString(items.size()), module));
        return module;
    }

    public M get(int index) {
        return items.get(index);
    }

    public int size() {
        return items.size();
    }

    @Override
    public Iterator<M> iterator() {
        return Collections.unmodifiableList(items).iterator();
    }
}
