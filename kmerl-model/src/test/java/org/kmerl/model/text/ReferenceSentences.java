package org.kmerl.model.text;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/** Sentences the text encoder is checked on: written here, plus PTB-XL reports when the shared data is present. */
final class ReferenceSentences {
    /** English ECG report language and awkward inputs (accents, punctuation, CJK, specials, long text). */
    static final List<String> WRITTEN = List.of(
            "sinus rhythm. normal ecg.",
            "atrial fibrillation with rapid ventricular response",
            "Sinus bradycardia with first degree AV block.",
            "Left bundle branch block; consider old anterior infarction.",
            "Right bundle branch block, left anterior fascicular block (bifascicular block).",
            "ST elevation in leads V1-V4 consistent with acute anterior STEMI!",
            "T wave inversion in II, III, aVF — possible inferior ischemia.",
            "Premature ventricular contractions (PVCs), 3 per minute.",
            "QTc prolonged at 512 ms; review medications.",
            "Low QRS voltage in limb leads.",
            "Left ventricular hypertrophy with repolarization abnormality",
            "Atrial flutter with 2:1 AV conduction, rate 150 bpm.",
            "Paced rhythm: AV dual-chamber pacemaker, 100% capture.",
            "Wolff-Parkinson-White pattern (short PR, delta waves).",
            "Nonspecific intraventricular conduction delay, QRS 118ms",
            "Borderline ECG... otherwise within normal limits",
            "Sinus tachycardia @ 112/min; poor R-wave progression",
            "Inferior MI, age undetermined. Lateral ST-T changes.",
            "Supraventricular tachycardia (SVT) converted after adenosine 6 mg IV.",
            "Junctional escape rhythm; no P waves seen.",
            "Second-degree AV block, Mobitz type I (Wenckebach).",
            "Third degree (complete) heart block with ventricular escape at 38/min",
            "Brugada type 1 pattern in V1–V2?",
            "Early repolarization; J-point elevation <1 mm.",
            "Right axis deviation, consider right ventricular hypertrophy",
            "Compared with ECG of 2019-03-14: no significant change.",
            "Electrode misplacement suspected (limb lead reversal LA/RA).",
            "Artifact & baseline wander make interpretation difficult",
            "Probable left atrial enlargement; P mitrale.",
            "Peaked T waves — check potassium (K+ 6.8 mmol/L).",
            "Digitalis effect: scooped ST depression.",
            "Ventricular bigeminy",
            "Multifocal atrial tachycardia in a COPD patient.",
            "Sinus arrhythmia, otherwise normal.",
            "Abnormal ECG: anteroseptal infarct, possibly acute; recommend troponin.",
            "Incomplete RBBB.",
            "ECTOPIC ATRIAL RHYTHM WITH LEFTWARD AXIS",
            "Torsades de pointes episode recorded at 03:12.",
            "Pericarditis: diffuse ST elevation with PR depression.",
            "Hypothermia with Osborn waves.",
            "Café-au-lait spots noted; naïve patient, résumé attached (accents: é, ï, ü, ñ).",
            "Überleitungsstörung und Linkstyp, QRS-Verbreiterung",
            "心电图正常 normal ECG 窦性心律",
            "Greek letters α β γ and symbols ± × ÷ ≥ ≤ ° µV",
            "Emoji ❤️ and 🫀 in a report?",
            "The [MASK] token and [CLS] [SEP] written by hand.",
            "tabs\tand\nnewlines\r\nand   multiple   spaces",
            "Hyphenated-words, slashes/and\\backslashes, under_scores, and #hashtags $100 ~approx ^caret |pipe",
            "Numbers: 0.12 s, 1,234 beats, 3/4, 10e-3, -5 mV",
            "supercalifragilisticexpialidociousventriculoatrialdysfunctionsyndromeextraordinarilylongwordthatexceedsahundredcharactersforsureyes",
            "Abbreviations like LAFB, LPFB, RVH, LVH, IVCD, NSTEMI, SR, AF.",
            ("A very long report that goes on and on about rhythm, axis, intervals, waves and segments, "
                    + "repeated to exceed the truncation limit. ").repeat(6));

    private ReferenceSentences() {
    }

    /** The {@code report} column of the first {@code limit} PTB-XL records. */
    static List<String> ptbxlReports(Path database, int limit) throws IOException {
        List<String> out = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(database, StandardCharsets.UTF_8)) {
            for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                String report = r.get("report").strip();
                if (!report.isEmpty()) {
                    out.add(report);
                }
                if (out.size() == limit) {
                    break;
                }
            }
        }
        return out;
    }
}
