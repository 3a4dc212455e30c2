package org.kmerl.model.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmerl.model.ModelFormatException;
import org.kmerl.model.data.ptbxl.PtbXl;
import org.kmerl.tensor.testing.SharedData;

/** Phrasing in English and German, negation, uncertainty, the hierarchy, inputs, and agreement with PTB-XL. */
class EntityExtractorTest {
    private static EntityExtractor extractor;

    @BeforeAll
    static void load() throws IOException {
        extractor = new EntityExtractor(Vocabulary.embedded());
    }

    private static Set<String> asserted(String text) {
        return extractor.labels(text, false, false);
    }

    @Test
    void theEmbeddedVocabularyCoversTheScpStatementsAndIsAHierarchy() throws IOException {
        Vocabulary v = extractor.vocabulary();
        assertTrue(v.size() >= 150, v.size() + " entities");
        Set<String> scp = new java.util.HashSet<>();
        v.entities().forEach(e -> scp.addAll(e.scp()));
        for (String code : List.of("NORM", "SR", "AFIB", "IMI", "ASMI", "CLBBB", "CRBBB", "IRBBB", "LAFB", "LVH", "VCLVH",
                "STD_", "STE_", "INVT", "PVC", "PAC", "1AVB", "2AVB", "3AVB", "WPW", "PACE", "DIG", "EL", "LNGQT", "NDT",
                "NST_", "ISC_", "INJAS", "PMI", "SEHYP", "TRIGU", "PRC(S)")) {
            assertTrue(scp.contains(code), "no entity maps to SCP " + code);
        }
        assertEquals(Set.of("fascicular_block", "conduction"), v.ancestors("lafb"));
    }

    @Test
    void englishAndGermanPhrasesFindTheSameEntities() {
        assertEquals(Set.of("sinus_rhythm", "atrial_fibrillation"), asserted("Sinus rhythm. Atrial fibrillation."));
        assertTrue(asserted("sinusrhythmus lagetyp normal normales ekg").containsAll(
                Set.of("sinus_rhythm", "normal_axis", "normal_ecg")));
        assertTrue(asserted("VORHOFFLIMMERN/-FLATTERN").contains("atrial_fibrillation"), "case and punctuation");
        assertTrue(asserted("unbestÄtigter bericht").contains("unconfirmed_report"), "upper-case umlaut in lower text");
        assertTrue(asserted("mässige amplitudenkriterien f#r linkshypertrophie").contains("lvh_voltage"),
                "PTB-XL's '#' for ü, and the longest phrase wins over 'linkshypertrophie'");
        assertFalse(asserted("mässige amplitudenkriterien f#r linkshypertrophie").contains("lvh"));
        assertTrue(asserted("unvollständiger rechtsschenkelblock").contains("incomplete_rbbb"));
        assertFalse(asserted("unvollständiger rechtsschenkelblock").contains("rbbb"));
        assertTrue(asserted("sinusrytm vänster kammarhypertrofi").containsAll(Set.of("sinus_rhythm", "lvh")), "Swedish");
    }

    @Test
    void negationRemovesAMention() {
        assertFalse(asserted("sinus rhythm. no st elevation.").contains("st_elevation"));
        assertTrue(asserted("sinus rhythm. no st elevation.").contains("sinus_rhythm"));
        assertFalse(asserted("kein hinweis auf infarkt").contains("infarction"));
        assertFalse(asserted("infarction excluded").contains("infarction"));
        assertTrue(asserted("st elevation in v2. no q waves.").contains("st_elevation"), "negation stays in its clause");
        List<Mention> m = extractor.mentions("without st segment depression");
        assertEquals(Mention.Certainty.NEGATED, m.get(0).certainty());
    }

    @Test
    void uncertaintyIsASetting() {
        String text = "sinusrhythmus qrs(t) abnorm    inferiorer infarkt möglich";
        assertTrue(extractor.labels(text, true, false).contains("inferior_mi"));
        assertFalse(extractor.labels(text, false, false).contains("inferior_mi"));
        assertEquals(Mention.Certainty.UNCERTAIN, extractor.mentions("verdacht auf p-sinistrocardiale").get(0).certainty());
        assertEquals(Mention.Certainty.UNCERTAIN, extractor.mentions("possible left atrial enlargement").get(0).certainty());
        assertEquals(Mention.Certainty.UNCERTAIN,
                extractor.mentions("hochlateraler infarkt nicht auszuschliessen").get(0).certainty(),
                "'nicht auszuschliessen' hedges, it does not negate");
        assertEquals(Mention.Certainty.ASSERTED,
                extractor.mentions("anteroseptaler infarkt     wahrscheinlich alt").get(0).certainty(),
                "'probably old' dates an infarct, it does not doubt it");
    }

    @Test
    void rollUpAddsAncestors() {
        Set<String> l = extractor.labels("inferolateral myocardial infarction", false, true);
        assertTrue(l.containsAll(Set.of("inferolateral_mi", "inferior_mi", "lateral_mi", "infarction")), l.toString());
    }

    @Test
    void minesReportsIntoTheThreeFiles(@TempDir Path tmp) throws IOException {
        Path csv = tmp.resolve("r.csv");
        Files.writeString(csv, "id,report\n1,sinus rhythm. left bundle branch block.\n2,\"sinusrhythmus, normales ekg\"\n"
                + "3,atrial fibrillation. no st elevation.\n");
        KnowledgeMiner miner = new KnowledgeMiner(extractor, true);
        KnowledgeMiner.Result r = miner.mine(ReportTexts.read(csv), 2, null);
        assertEquals(Set.of("sinus_rhythm", "rhythm"), r.labels().get(1).stream().filter(r.counts()::containsKey)
                .collect(java.util.stream.Collectors.toSet()));
        assertEquals(2, r.counts().get("sinus_rhythm"));
        assertFalse(r.counts().containsKey("lbbb"), "below the minimum count of 2");
        miner.write(r, tmp.resolve("out"));
        String vocab = Files.readString(tmp.resolve("out/vocabulary.json"));
        assertTrue(vocab.contains("\"id\" : \"sinus_rhythm\"") && vocab.contains("\"count\" : 2"), vocab);
        List<String> labels = Files.readAllLines(tmp.resolve("out/labels.csv"));
        assertEquals("id,entities", labels.get(0));
        assertEquals("3,rhythm", labels.get(3), "atrial fibrillation is in one report only: dropped");
        assertTrue(Files.readString(tmp.resolve("out/frequencies.csv")).contains("rhythm,cardiac rhythm,3,1.0000"));
    }

    @Test
    void malformedInputsAreNamed(@TempDir Path tmp) throws IOException {
        Path noColumn = tmp.resolve("a.csv");
        Files.writeString(noColumn, "name,text\nx,y\n");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ReportTexts.read(noColumn));
        assertTrue(e.getMessage().contains("a.csv") && e.getMessage().contains("'id'"), e.getMessage());
        Path quote = tmp.resolve("b.csv");
        Files.writeString(quote, "id,report\n1,\"unterminated\n2,x\n");
        ModelFormatException q = assertThrows(ModelFormatException.class, () -> ReportTexts.read(quote));
        assertTrue(q.getMessage().contains("b.csv") && q.getMessage().contains("malformed CSV"), q.getMessage());
        Path bad = tmp.resolve("v.json");
        Files.writeString(bad, "{\"entities\": [{\"id\": \"a\", \"name\": \"A\", \"parents\": [\"zz\"]}]}");
        ModelFormatException v = assertThrows(ModelFormatException.class, () -> Vocabulary.load(bad));
        assertTrue(v.getMessage().contains("unknown parent 'zz'"), v.getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> ReportTexts.read(tmp.resolve("none.csv")));
    }

    /** The agreement with PTB-XL's cardiologists that docs/knowledge.md reports (issue 6's first target). */
    @Test
    void agreesWithPtbXlCardiologistsOnStatementsTheTextStates() throws IOException {
        PtbXl ptbxl = PtbXl.load(SharedData.require("ptbxl"));
        ScpEvaluation.Result r = ScpEvaluation.evaluate(ptbxl, extractor, true);
        double explicit = r.macroF1(ScpEvaluation.EXPLICIT);
        assertTrue(explicit >= 0.85, "macro F1 over the explicit statements " + explicit);
        assertEquals(56, r.frequent(50).size());
        assertTrue(r.statements().get("SR").f1() > 0.99 && r.statements().get("AFIB").f1() > 0.98, "the big rhythms");
    }
}
