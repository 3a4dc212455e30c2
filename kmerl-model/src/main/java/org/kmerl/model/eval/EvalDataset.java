package org.kmerl.model.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Records with their splits and the tasks labelled on them; {@code description} says where they came from. */
public record EvalDataset(String description, List<EvalRecord> records, List<EvalTask> tasks) {
    public EvalDataset {
        records = List.copyOf(records);
        tasks = List.copyOf(tasks);
        for (EvalTask t : tasks) {
            if (t.labels().length != records.size()) {
                throw new IllegalArgumentException("task " + t.name() + " labels " + t.labels().length + " records, the "
                        + "dataset has " + records.size());
            }
        }
    }

    /** Indices of the records in {@code split}, in dataset order. */
    public int[] indices(EvalRecord.Split split) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).split() == split) {
                out.add(i);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    public int count(EvalRecord.Split split) {
        return indices(split).length;
    }

    public EvalTask task(String name) {
        return tasks.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no task " + name + " in " + description + " (tasks: "
                        + tasks.stream().map(EvalTask::name).toList() + ")"));
    }

    /** Every task's class texts, concatenated in task order (one text-encoder pass and one query pass for all). */
    public List<String> allClassTexts() {
        List<String> out = new ArrayList<>();
        tasks.forEach(t -> out.addAll(t.classTexts()));
        return out;
    }

    /** Where task {@code t}'s columns start in {@link #allClassTexts}. */
    public int columnOffset(EvalTask t) {
        int offset = 0;
        for (EvalTask u : tasks) {
            if (u == t) {
                return offset;
            }
            offset += u.classes();
        }
        throw new IllegalArgumentException("task " + t.name() + " is not part of " + description);
    }

    /** Rows {@code rows} of a task's labels (records x classes). */
    static boolean[][] rows(boolean[][] labels, int[] rows) {
        boolean[][] out = new boolean[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            out[r] = labels[rows[r]];
        }
        return out;
    }

    /** Rows {@code rows} of {@code values} (records x columns), columns [from, from + count). */
    static float[][] slice(float[][] values, int[] rows, int from, int count) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = Arrays.copyOfRange(values[rows[i]], from, from + count);
        }
        return out;
    }
}
