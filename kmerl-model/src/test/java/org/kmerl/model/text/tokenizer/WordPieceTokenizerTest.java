package org.kmerl.model.text.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmerl.model.ModelFormatException;

class WordPieceTokenizerTest {
    private static final List<String> VOCAB = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
            "un", "##aff", "##able", "sinus", "rhythm", ".", ",", "!", "-", "a", "b", "##c", "unicode", "ecg",
            "σασ", "i", "hello", "world", "Hello");

    private static WordPieceTokenizer vocabTokenizer(Path dir, boolean lowercase, int maxLength) throws IOException {
        Path vocab = dir.resolve("vocab.txt");
        Files.writeString(vocab, String.join("\n", VOCAB) + "\n");
        return WordPieceTokenizer.fromVocab(vocab, lowercase, maxLength);
    }

    @Test
    void normalizerCleansSpacesCjkAccentsAndCase() {
        BertNormalizer n = BertNormalizer.uncased();
        assertEquals("a b c", n.normalize("a\tb\nc"));
        assertEquals("ab", n.normalize("a\u0000\u200Bb\uFFFD"), "NUL, zero-width space (Cf) and U+FFFD are dropped");
        assertEquals("x 心 y", n.normalize("x心y"));
        assertEquals(" 心  电 ", n.normalize("心电"));
        assertEquals("unicode", n.normalize("Ünïcödé"));
        // Character by character, like Rust: no final-sigma rule, and İ loses its dot with the accents.
        assertEquals("σασ", n.normalize("ΣΑΣ"));
        assertEquals("istanbul", n.normalize("İstanbul"));
        assertEquals("Ünï", new BertNormalizer(true, true, false, false).normalize("Ünï"));
    }

    @Test
    void preTokenizerSplitsWhitespaceAndIsolatesPunctuation() {
        assertEquals(List.of("Hello", ",", "world", "!", "a", "-", "b"), BertPreTokenizer.split("Hello,  world! a-b"));
        assertEquals(List.of("$", "5", "~", "x", "^", "2"), BertPreTokenizer.split("$5 ~x^2"));
        assertEquals(List.of("«", "x", "»", "—", "y"), BertPreTokenizer.split("«x» —y"));
        assertEquals(List.of(), BertPreTokenizer.split("   "));
    }

    @Test
    void wordPieceIsGreedyLongestMatchFirst() {
        WordPiece wp = new WordPiece(VOCAB, "[UNK]", "##", 10);
        List<Integer> ids = new ArrayList<>();
        List<String> pieces = new ArrayList<>();
        wp.tokenizeWord("unaffable", ids, pieces);
        assertEquals(List.of("un", "##aff", "##able"), pieces);
        assertEquals(List.of(5, 6, 7), ids);
        pieces.clear();
        wp.tokenizeWord("unaffx", new ArrayList<>(), pieces);
        assertEquals(List.of("[UNK]"), pieces, "a word that cannot be covered is one [UNK], not a partial split");
        pieces.clear();
        wp.tokenizeWord("bccccccccccc", new ArrayList<>(), pieces);
        assertEquals(List.of("[UNK]"), pieces, "longer than maxInputCharsPerWord");
        pieces.clear();
        wp.tokenizeWord("bcccc", new ArrayList<>(), pieces);
        assertEquals(List.of("b", "##c", "##c", "##c", "##c"), pieces);
    }

    @Test
    void duplicateVocabularyLinesMapToTheLastId() {
        WordPiece wp = new WordPiece(List.of("[UNK]", "a", "a", "b"), "[UNK]", "##", 100);
        assertEquals(2, wp.id("a"));
        assertEquals(-1, wp.id("zzz"));
        assertEquals("a", wp.token(1));
    }

    @Test
    void encodesWithSpecialsAddedTokensAndTruncation(@TempDir Path dir) throws IOException {
        WordPieceTokenizer tok = vocabTokenizer(dir, true, 512);
        Encoding e = tok.encode("Sinus rhythm. [MASK] ECG!");
        assertEquals(List.of("[CLS]", "sinus", "rhythm", ".", "[MASK]", "ecg", "!", "[SEP]"), e.tokens());
        assertArrayEquals(new int[] {2, 8, 9, 10, 4, 18, 12, 3}, e.ids());
        assertFalse(e.truncated());
        // The special is matched in the raw text only: lower-case "[mask]" is ordinary text.
        assertEquals(List.of("[UNK]", "[UNK]", "[UNK]"), tok.tokenize("[mask]"));

        Encoding cut = tok.withMaxLength(4).encode("sinus rhythm. ecg");
        assertEquals(List.of("[CLS]", "sinus", "rhythm", "[SEP]"), cut.tokens());
        assertEquals(4, cut.wordPieces());
        assertTrue(cut.truncated());
        assertThrows(IllegalArgumentException.class, () -> tok.withMaxLength(2));

        WordPieceTokenizer cased = vocabTokenizer(dir, false, 512);
        assertEquals(List.of("Hello", "[UNK]"), cased.tokenize("Hello World"));
    }

    @Test
    void batchesArePaddedOnTheRightWithAMask(@TempDir Path dir) throws IOException {
        WordPieceTokenizer tok = vocabTokenizer(dir, true, 512);
        try (TokenBatch b = tok.encodeBatch(List.of("sinus", "sinus rhythm ecg", ""))) {
            assertArrayEquals(new int[] {3, 5}, b.ids().shape());
            assertArrayEquals(new int[] {2, 8, 3, 0, 0, 2, 8, 9, 18, 3, 2, 3, 0, 0, 0}, b.ids().toIntArray());
            assertArrayEquals(new int[] {0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1}, b.padding().toIntArray());
            assertArrayEquals(new int[] {3, 5, 2}, b.lengths());
            assertFalse(b.unpadded());
            assertArrayEquals(new float[] {1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0}, b.tokenMask().toFloatArray());
        }
        assertThrows(IllegalArgumentException.class, () -> tok.encodeBatch(List.of()));
    }

    @Test
    void addedTokensHonourStripAndSingleWord() {
        AddedTokens added = new AddedTokens(List.of(
                new AddedTokens.AddedToken(7, "<x>", false, true, true, false),
                new AddedTokens.AddedToken(8, "ab", true, false, false, false)));
        assertEquals(List.of(new AddedTokens.Segment("a", -1), new AddedTokens.Segment("<x>", 7),
                new AddedTokens.Segment("b", -1)), added.splitRaw("a  <x>  b"));
        assertEquals(List.of(new AddedTokens.Segment("cab ", -1), new AddedTokens.Segment("ab", 8)),
                added.splitRaw("cab ab"), "single_word: 'ab' inside 'cab' is not the token");
    }

    @Test
    void tokenizerJsonIsParsedWithItsSettings(@TempDir Path dir) throws IOException {
        String json = """
                {"version": "1.0", "truncation": {"direction": "Right", "max_length": 5},
                 "padding": {"pad_id": 0},
                 "added_tokens": [{"id": 4, "content": "[MASK]", "single_word": false, "lstrip": false,
                                   "rstrip": false, "normalized": false, "special": true}],
                 "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true,
                                "strip_accents": null, "lowercase": true},
                 "pre_tokenizer": {"type": "BertPreTokenizer"},
                 "post_processor": {"type": "TemplateProcessing",
                   "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                              {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
                   "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                                      "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}}},
                 "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                           "max_input_chars_per_word": 100,
                           "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "[MASK]": 4, "sinus": 5, "rhythm": 6}}}
                """;
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, json);
        WordPieceTokenizer tok = WordPieceTokenizer.fromTokenizerJson(file);
        assertEquals(5, tok.maxLength());
        assertEquals(List.of("[CLS]", "sinus", "[MASK]", "rhythm", "[SEP]"), tok.encode("SÍNUS [MASK] rhythm rhythm").tokens());
        assertEquals(json, tok.tokenizerJson());
    }

    @Test
    void unusableTokenizerFilesAreNamedInTheError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, "{\"model\": {\"type\": \"BPE\", \"vocab\": {}}}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> WordPieceTokenizer.fromTokenizerJson(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("model.type is 'BPE'"), e.getMessage());

        Files.writeString(file, "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"[UNK]\": 0, \"a\": 2}}}");
        e = assertThrows(ModelFormatException.class, () -> WordPieceTokenizer.fromTokenizerJson(file));
        assertTrue(e.getMessage().contains("'a' has id 2"), e.getMessage());

        Files.writeString(file, "{not json");
        e = assertThrows(ModelFormatException.class, () -> WordPieceTokenizer.fromTokenizerJson(file));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());

        e = assertThrows(ModelFormatException.class, () -> WordPieceTokenizer.fromVocab(dir.resolve("nope.txt"), true, 8));
        assertTrue(e.getMessage().contains("nope.txt: no such file"), e.getMessage());

        Files.writeString(dir.resolve("vocab.txt"), "[PAD]\n[UNK]\nhello\n");
        e = assertThrows(ModelFormatException.class, () -> WordPieceTokenizer.fromVocab(dir.resolve("vocab.txt"), true, 8));
        assertTrue(e.getMessage().contains("lacks the special token [CLS]"), e.getMessage());
    }
}
