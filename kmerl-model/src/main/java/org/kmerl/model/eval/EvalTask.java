package org.kmerl.model.eval;

import java.util.List;

/**
 * A multi-label classification task over the records of an {@link EvalDataset}: class codes, the text
 * each class is described by for zero-shot scoring, and {@code labels[record][class]}.
 */
public record EvalTask(String name, List<String> classCodes, List<String> classTexts, boolean[][] labels) {
    public EvalTask {
        classCodes = List.copyOf(classCodes);
        classTexts = List.copyOf(classTexts);
        if (classCodes.size() != classTexts.size()) {
            throw new IllegalArgumentException("task " + name + ": " + classCodes.size() + " classes but "
                    + classTexts.size() + " class texts");
        }
        for (boolean[] row : labels) {
            if (row.length != classCodes.size()) {
                throw new IllegalArgumentException("task " + name + ": a label row has " + row.length + " columns, not "
                        + classCodes.size());
            }
        }
    }

    public int classes() {
        return classCodes.size();
    }
}
