package org.kmerl.benchmarks;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.kmerl.model.text.tokenizer.WordPieceTokenizer;

/**
 * ECG report texts for the text-encoder benchmark: the PTB-XL reports when the shared data is found
 * ({@code -Dkmerl.shared.data}, else {@code ../shared/data} from the working directory), otherwise
 * seeded synthetic English reports; only texts of at most {@code maxTokens} tokens are kept.
 */
final class ReportTexts {
    private static final String[] RHYTHMS = {"sinus rhythm", "sinus bradycardia", "sinus tachycardia",
        "atrial fibrillation", "atrial flutter with 2:1 block", "paced rhythm", "junctional rhythm"};
    private static final String[] FINDINGS = {"left axis deviation", "right bundle branch block",
        "left anterior fascicular block", "st depression in v5-v6", "t wave inversion in iii and avf",
        "prolonged qt interval", "left ventricular hypertrophy", "poor r wave progression",
        "premature ventricular contractions", "first degree av block", "low qrs voltage", "inferior infarction, age undetermined"};
    private static final String[] CLOSINGS = {"normal ecg.", "abnormal ecg.", "borderline ecg.",
        "no significant change compared with previous tracing.", "consider clinical correlation."};

    private ReportTexts() {
    }

    /** The texts and where they came from. */
    record Texts(List<String> texts, String source) {
    }

    static Texts load(int count, int maxTokens, WordPieceTokenizer tokenizer) throws IOException {
        Path csv = sharedData().resolve("ptbxl").resolve("ptbxl_database.csv");
        List<String> out = new ArrayList<>();
        if (Files.exists(csv)) {
            try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
                for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                    addIfShort(out, r.get("report").strip(), maxTokens, tokenizer);
                    if (out.size() == count) {
                        return new Texts(out, "PTB-XL reports (" + csv + ")");
                    }
                }
            }
        }
        Random random = new Random(42);
        while (out.size() < count) {
            StringBuilder sb = new StringBuilder(RHYTHMS[random.nextInt(RHYTHMS.length)]).append(". ");
            for (int i = random.nextInt(4); i >= 0; i--) {
                sb.append(FINDINGS[random.nextInt(FINDINGS.length)]).append(random.nextBoolean() ? ", " : ". ");
            }
            addIfShort(out, sb.append(CLOSINGS[random.nextInt(CLOSINGS.length)]).toString(), maxTokens, tokenizer);
        }
        return new Texts(out, "synthetic English reports (no shared data at " + csv + ")");
    }

    private static void addIfShort(List<String> out, String text, int maxTokens, WordPieceTokenizer tokenizer) {
        if (!text.isEmpty() && tokenizer.encode(text).wordPieces() + 2 <= maxTokens) {
            out.add(text);
        }
    }

    private static Path sharedData() {
        String configured = System.getProperty("kmerl.shared.data");
        return configured != null ? Path.of(configured) : Path.of("..", "shared", "data").toAbsolutePath().normalize();
    }
}
