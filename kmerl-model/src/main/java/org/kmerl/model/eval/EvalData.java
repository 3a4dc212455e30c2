package org.kmerl.model.eval;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.kmerl.model.data.challenge.Challenge2021;
import org.kmerl.model.data.ptbxl.PtbXl;
import org.kmerl.model.data.ptbxl.PtbXlRecord;
import org.kmerl.model.data.ptbxl.PtbXlTask;
import org.kmerl.model.data.synth.Condition;
import org.kmerl.model.data.synth.SyntheticDataset;
import org.kmerl.model.data.wfdb.WfdbHeader;
import org.kmerl.model.knowledge.Vocabulary;

/**
 * Evaluation datasets: PTB-XL's benchmark tasks on the records whose waveforms are present (folds 1-8
 * train, 9 validation, 10 test), a synthetic dataset folder, or a user CSV of record paths and 0/1
 * label columns.
 */
public final class EvalData {
    /** Task names on the command line and in reports, for PTB-XL's four label sets. */
    public static final Map<String, PtbXlTask> PTBXL_TASKS = Map.of("ptbxl-super", PtbXlTask.SUPERCLASS,
            "ptbxl-sub", PtbXlTask.SUBCLASS, "ptbxl-form", PtbXlTask.FORM, "ptbxl-rhythm", PtbXlTask.RHYTHM);

    private EvalData() {
    }

    /**
     * PTB-XL tasks ({@code ptbxl-super}, ...) in {@code dir}, over the records with waveforms at the
     * chosen rate; every class that occurs anywhere in the database is kept (the metrics list those
     * without positives and negatives in the test split).
     */
    public static EvalDataset ptbxl(Path dir, List<String> taskNames, boolean highRate, Map<String, String> textOverrides)
            throws IOException {
        PtbXl db = PtbXl.load(dir);
        List<PtbXlRecord> present = new ArrayList<>();
        List<EvalRecord> records = new ArrayList<>();
        for (PtbXlRecord r : db.records()) {
            Path wave = db.waveform(r, highRate);
            if (Files.exists(Path.of(wave + ".hea"))) {
                present.add(r);
                EvalRecord.Split split = switch (r.split()) {
                    case TRAIN -> EvalRecord.Split.TRAIN;
                    case VALIDATION -> EvalRecord.Split.VALIDATION;
                    case TEST -> EvalRecord.Split.TEST;
                };
                records.add(new EvalRecord(Integer.toString(r.ecgId()), split, wave));
            }
        }
        if (present.isEmpty()) {
            throw new NoSuchFileException(dir.toString(), null, "no PTB-XL waveforms at " + (highRate ? 500 : 100)
                    + " Hz here (records" + (highRate ? 500 : 100) + "/...)");
        }
        ClassTexts texts = new ClassTexts(Vocabulary.embedded(), db.statements(), textOverrides);
        List<EvalTask> tasks = new ArrayList<>();
        for (String name : taskNames) {
            PtbXlTask task = PTBXL_TASKS.get(name);
            if (task == null) {
                throw new IllegalArgumentException("unknown PTB-XL task '" + name + "' (known: " + String.join(", ",
                        PTBXL_TASKS.keySet().stream().sorted().toList()) + ")");
            }
            List<String> classes = db.classes(task);
            boolean[][] labels = new boolean[present.size()][classes.size()];
            for (int i = 0; i < present.size(); i++) {
                Set<String> has = db.labels(task, present.get(i));
                for (int k = 0; k < classes.size(); k++) {
                    labels[i][k] = has.contains(classes.get(k));
                }
            }
            tasks.add(new EvalTask(name, classes, classes.stream().map(texts::of).toList(), labels));
        }
        String description = String.format(Locale.ROOT, "PTB-XL %s: %d of %d records have %d Hz waveforms here "
                + "(folds 1-8 train, 9 validation, 10 test)", dir, present.size(), db.records().size(), highRate ? 500 : 100);
        return new EvalDataset(description, records, tasks);
    }

    /** Challenge-2021-format tasks with MERL's class lists: CPSC2018 (9 classes), Chapman-Shaoxing-Ningbo (38). */
    public static final List<String> CHALLENGE_TASKS = List.of("cpsc2018", "chapman");

    /**
     * CPSC2018 ({@code A}/{@code Q} records) or Chapman-Shaoxing-Ningbo ({@code JS} records) in a Challenge
     * 2021 folder, labelled through SNOMED-CT: each of MERL's classes is positive when the record's
     * {@code #Dx} holds one of its codes (the table {@code challenge-tasks.csv} next to this class; a
     * class whose name has no SNOMED-CT code, Chapman's "ST tilt up", is never positive). With
     * {@code merlSplits} (the folder of MERL's split tables) each record takes MERL's split and records
     * MERL does not list are left out; without it every record is a test record (zero-shot only).
     */
    public static EvalDataset challenge(Path dir, String task, Path merlSplits, Map<String, String> textOverrides)
            throws IOException {
        if (!CHALLENGE_TASKS.contains(task)) {
            throw new IllegalArgumentException("unknown Challenge task '" + task + "' (known: " + CHALLENGE_TASKS + ")");
        }
        List<String> classes = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<Set<String>> codes = new ArrayList<>();
        try (Reader in = new java.io.InputStreamReader(EvalData.class.getResourceAsStream("challenge-tasks.csv"),
                java.nio.charset.StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            for (CSVRecord row : parser) {
                if (row.get("task").equals(task)) {
                    classes.add(row.get("class"));
                    texts.add(textOverrides.getOrDefault(row.get("class"), row.get("text")));
                    codes.add(Set.of(row.get("snomed").split(";")));
                }
            }
        }
        Map<String, EvalRecord.Split> merl = merlSplits == null ? null : merlSplits(merlSplits, task);
        List<EvalRecord> records = new ArrayList<>();
        List<boolean[]> rows = new ArrayList<>();
        int unlisted = 0;
        for (Path hea : Challenge2021.list(dir)) {
            String name = hea.getFileName().toString().replaceFirst("\\.hea$", "");
            boolean ours = task.equals("chapman") ? name.startsWith("JS") : name.startsWith("A") || name.startsWith("Q");
            if (!ours) {
                continue;
            }
            EvalRecord.Split split = merl == null ? EvalRecord.Split.TEST : merl.get(name);
            if (split == null) {
                unlisted++;
                continue;
            }
            Set<String> dx = Challenge2021.dxCodes(WfdbHeader.read(hea), hea.toString());
            boolean[] y = new boolean[classes.size()];
            for (int k = 0; k < y.length; k++) {
                y[k] = codes.get(k).stream().anyMatch(dx::contains);
            }
            records.add(new EvalRecord(name, split, hea.resolveSibling(name)));
            rows.add(y);
        }
        if (records.isEmpty()) {
            throw new NoSuchFileException(dir.toString(), null, "no " + task + " records here"
                    + (unlisted > 0 ? " that MERL's split tables list" : ""));
        }
        String description = String.format(Locale.ROOT, "%s records of %s: %d%s, labels through SNOMED-CT", task, dir,
                records.size(), merl == null ? " (all test: no --splits)" : " with MERL's splits (" + unlisted
                        + " records MERL does not list left out)");
        return new EvalDataset(description, records, List.of(new EvalTask(task, classes, texts, rows.toArray(new boolean[0][]))));
    }

    /** Record name -> split from MERL's tables ({@code icbeb/icbeb_train.csv}, ..., {@code chapman/chapman_test.csv}). */
    private static Map<String, EvalRecord.Split> merlSplits(Path root, String task) throws IOException {
        String folder = task.equals("chapman") ? "chapman" : "icbeb";
        String column = task.equals("chapman") ? "ecg_path" : "filename";
        Map<String, EvalRecord.Split> out = new java.util.HashMap<>();
        for (EvalRecord.Split split : EvalRecord.Split.values()) {
            String part = split == EvalRecord.Split.VALIDATION ? "val" : split.name().toLowerCase(Locale.ROOT);
            Path table = root.resolve(folder).resolve(folder + "_" + part + ".csv");
            try (Reader in = Files.newBufferedReader(table);
                 CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                for (CSVRecord row : parser) {
                    String name = Path.of(row.get(column)).getFileName().toString().replaceFirst("\\.(mat|hea)$", "");
                    out.put(name, split);
                }
            }
        }
        return out;
    }

    /**
     * A synthetic dataset folder ({@code kmerl data synth}: {@code reports.csv} with each record's
     * findings): one task, {@code synthetic}, over every finding the generator knows, described by its
     * first report phrase. Records are split by index: 7 of every 10 train, 1 validation, 2 test.
     */
    public static EvalDataset synthetic(Path dir, Map<String, String> textOverrides) throws IOException {
        List<Condition> conditions = List.of(Condition.values());
        List<EvalRecord> records = new ArrayList<>();
        List<boolean[]> rows = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(dir.resolve(SyntheticDataset.REPORTS));
             CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            int i = 0;
            for (CSVRecord row : parser) {
                EvalRecord.Split split = i % 10 < 7 ? EvalRecord.Split.TRAIN
                        : i % 10 == 7 ? EvalRecord.Split.VALIDATION : EvalRecord.Split.TEST;
                records.add(new EvalRecord(row.get("id"), split, dir.resolve(row.get("path"))));
                Set<String> codes = Set.of(row.get("labels").split(";"));
                boolean[] y = new boolean[conditions.size()];
                for (int k = 0; k < y.length; k++) {
                    y[k] = codes.contains(conditions.get(k).code());
                }
                rows.add(y);
                i++;
            }
        }
        List<String> codes = conditions.stream().map(Condition::code).toList();
        List<String> texts = conditions.stream().map(c -> textOverrides.getOrDefault(c.code(), c.phrases().get(0))).toList();
        return new EvalDataset("synthetic dataset " + dir + ": " + records.size() + " records (7/1/2 of every 10 train/"
                + "validation/test)", records, List.of(new EvalTask("synthetic", codes, texts, rows.toArray(new boolean[0][]))));
    }

    /**
     * A CSV with a {@code path} column (WFDB record path without extension, relative to the CSV's folder
     * or absolute), optional {@code id} and {@code split} (train / val / test; without it every record is
     * a test record, which zero-shot evaluation needs, probing does not allow), and one 0/1 column per
     * class; the task is named after the file.
     */
    public static EvalDataset csv(Path file, Map<String, String> textOverrides) throws IOException {
        List<EvalRecord> records = new ArrayList<>();
        List<boolean[]> rows = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file);
             CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            List<String> header = parser.getHeaderNames();
            if (!header.contains("path")) {
                throw new IllegalArgumentException(file + ": no 'path' column (columns: " + header + ")");
            }
            for (String h : header) {
                if (!h.equals("path") && !h.equals("id") && !h.equals("split")) {
                    classes.add(h);
                }
            }
            if (classes.isEmpty()) {
                throw new IllegalArgumentException(file + ": no label columns besides path, id and split");
            }
            Path base = file.toAbsolutePath().getParent();
            for (CSVRecord row : parser) {
                String where = file + " line " + (row.getRecordNumber() + 1);
                Path path = base.resolve(row.get("path").strip()).normalize();
                String id = header.contains("id") ? row.get("id") : path.getFileName().toString();
                EvalRecord.Split split = header.contains("split") ? EvalRecord.Split.parse(row.get("split"), where)
                        : EvalRecord.Split.TEST;
                boolean[] y = new boolean[classes.size()];
                for (int k = 0; k < classes.size(); k++) {
                    String v = row.get(classes.get(k)).strip();
                    if (!v.equals("0") && !v.equals("1")) {
                        throw new IllegalArgumentException(where + ", column " + classes.get(k) + ": '" + v
                                + "' is not 0 or 1");
                    }
                    y[k] = v.equals("1");
                }
                records.add(new EvalRecord(id, split, path));
                rows.add(y);
            }
        }
        String name = file.getFileName().toString().replaceFirst("\\.csv$", "");
        List<String> texts = classes.stream().map(c -> textOverrides.getOrDefault(c, c)).toList();
        EvalTask task = new EvalTask(name, classes, texts, rows.toArray(new boolean[0][]));
        return new EvalDataset(file + ": " + records.size() + " records", records, List.of(task));
    }
}
