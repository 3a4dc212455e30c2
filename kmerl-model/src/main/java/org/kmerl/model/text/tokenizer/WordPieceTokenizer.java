package org.kmerl.model.text.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.kmerl.model.ModelFormatException;
import org.kmerl.model.text.tokenizer.AddedTokens.AddedToken;
import org.kmerl.model.text.tokenizer.AddedTokens.Segment;

/**
 * A BERT tokenizer: added tokens split off, {@link BertNormalizer}, {@link BertPreTokenizer},
 * {@link WordPiece}, then the special tokens around the text ({@code [CLS] ... [SEP]}) and right
 * truncation to {@link #maxLength()} tokens, specials included. Reads a Hugging Face
 * {@code tokenizer.json} (WordPiece models only) or a plain {@code vocab.txt}. Immutable and safe to
 * share between threads.
 *
 * <p>Only single texts are encoded (no sentence pairs): every token type id is 0.
 */
public final class WordPieceTokenizer {
    /** The uncased BERT specials, in the order vocab.txt files conventionally use them. */
    private static final List<String> BERT_SPECIALS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BertNormalizer normalizer;
    private final WordPiece wordPiece;
    private final AddedTokens addedTokens;
    private final int[] prefix;
    private final int[] suffix;
    private final int padId;
    private final int maxLength;
    private final String tokenizerJson;

    private WordPieceTokenizer(BertNormalizer normalizer, WordPiece wordPiece, AddedTokens addedTokens, int[] prefix,
                               int[] suffix, int padId, int maxLength, String tokenizerJson) {
        if (maxLength < prefix.length + suffix.length + 1) {
            throw new IllegalArgumentException("maxLength " + maxLength + " leaves no room for text between "
                    + (prefix.length + suffix.length) + " special tokens");
        }
        this.normalizer = normalizer;
        this.wordPiece = wordPiece;
        this.addedTokens = addedTokens;
        this.prefix = prefix;
        this.suffix = suffix;
        this.padId = padId;
        this.maxLength = maxLength;
        this.tokenizerJson = tokenizerJson;
    }

    // ---------------------------------------------------------------------------------------------
    // Loading

    /** Reads a Hugging Face tokenizer.json file. */
    public static WordPieceTokenizer fromTokenizerJson(Path file) throws IOException {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file.toString(), "no such file", e);
        }
        return fromTokenizerJson(json, file.toString());
    }

    /**
     * Parses tokenizer.json text; {@code source} names it in errors. Accepted: a {@code WordPiece}
     * model, a {@code BertNormalizer} (or none), a {@code BertPreTokenizer}, a
     * {@code TemplateProcessing} or {@code BertProcessing} post-processor (or none) and an optional
     * {@code truncation.max_length} (512 when absent).
     */
    public static WordPieceTokenizer fromTokenizerJson(String json, String source) throws ModelFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new ModelFormatException(source, "not valid JSON: " + e.getMessage(), e);
        }
        JsonReader r = new JsonReader(source);
        JsonNode model = r.object(root, "model");
        r.expectType(model, "model", "WordPiece");
        JsonNode vocabNode = r.object(model, "model.vocab");
        String[] tokens = new String[vocabNode.size()];
        for (Iterator<Map.Entry<String, JsonNode>> it = vocabNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int id = e.getValue().asInt(-1);
            if (!e.getValue().canConvertToInt() || id < 0 || id >= tokens.length || tokens[id] != null) {
                throw new ModelFormatException(source, "model.vocab: token '" + e.getKey() + "' has id " + e.getValue()
                        + " (ids must be 0.." + (tokens.length - 1) + ", each used once)");
            }
            tokens[id] = e.getKey();
        }
        WordPiece wordPiece;
        try {
            wordPiece = new WordPiece(Arrays.asList(tokens), r.text(model, "unk_token", "[UNK]"),
                    r.text(model, "continuing_subword_prefix", "##"), r.integer(model, "max_input_chars_per_word", 100));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source, "model: " + e.getMessage(), e);
        }

        BertNormalizer normalizer = null;
        JsonNode norm = root.get("normalizer");
        if (norm != null && !norm.isNull()) {
            r.expectType(norm, "normalizer", "BertNormalizer");
            boolean lowercase = r.bool(norm, "lowercase", true);
            JsonNode strip = norm.get("strip_accents");
            normalizer = new BertNormalizer(r.bool(norm, "clean_text", true), r.bool(norm, "handle_chinese_chars", true),
                    strip == null || strip.isNull() ? lowercase : strip.asBoolean(), lowercase);
        }
        JsonNode pre = root.get("pre_tokenizer");
        if (pre != null && !pre.isNull()) {
            r.expectType(pre, "pre_tokenizer", "BertPreTokenizer");
        }

        List<AddedToken> added = new ArrayList<>();
        JsonNode addedNode = root.get("added_tokens");
        if (addedNode != null && addedNode.isArray()) {
            for (JsonNode a : addedNode) {
                added.add(new AddedToken(r.integer(a, "id", -1), r.text(a, "content", ""), r.bool(a, "single_word", false),
                        r.bool(a, "lstrip", false), r.bool(a, "rstrip", false), r.bool(a, "normalized", false)));
            }
        }

        int[][] specials = r.postProcessor(root.get("post_processor"), wordPiece);
        int maxLength = 512;
        JsonNode truncation = root.get("truncation");
        if (truncation != null && !truncation.isNull()) {
            if (!"Right".equals(r.text(truncation, "direction", "Right"))) {
                throw new ModelFormatException(source, "truncation.direction " + truncation.get("direction")
                        + " is not supported (only Right)");
            }
            maxLength = r.integer(truncation, "max_length", 512);
        }
        int padId = wordPiece.id("[PAD]");
        JsonNode padding = root.get("padding");
        if (padding != null && !padding.isNull()) {
            padId = r.integer(padding, "pad_id", padId);
        }
        if (padId < 0) {
            throw new ModelFormatException(source, "no padding id: neither padding.pad_id nor a [PAD] token");
        }
        return new WordPieceTokenizer(normalizer, wordPiece, new AddedTokens(added), specials[0], specials[1], padId,
                maxLength, json);
    }

    /**
     * Reads a vocab.txt (one token per line, the line number is the id) with BERT's usual settings:
     * {@code [CLS] text [SEP]}, the five bracketed specials never split, lower-casing and accent
     * stripping when {@code lowercase}.
     */
    public static WordPieceTokenizer fromVocab(Path vocabTxt, boolean lowercase, int maxLength) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(vocabTxt, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(vocabTxt.toString(), "no such file", e);
        }
        // A final empty line is a trailing newline, not a token.
        List<String> tokens = lines.stream().map(s -> s.replace("\r", "")).toList();
        if (!tokens.isEmpty() && tokens.get(tokens.size() - 1).isEmpty()) {
            tokens = tokens.subList(0, tokens.size() - 1);
        }
        WordPiece wordPiece;
        try {
            wordPiece = new WordPiece(tokens, "[UNK]", "##", 100);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(vocabTxt.toString(), e.getMessage(), e);
        }
        List<AddedToken> specials = new ArrayList<>();
        for (String s : BERT_SPECIALS) {
            int id = wordPiece.id(s);
            if (id < 0 && !s.equals("[MASK]")) {
                throw new ModelFormatException(vocabTxt.toString(), "BERT vocabulary lacks the special token " + s);
            }
            if (id >= 0) {
                specials.add(AddedToken.special(id, s));
            }
        }
        BertNormalizer normalizer = new BertNormalizer(true, true, lowercase, lowercase);
        return new WordPieceTokenizer(normalizer, wordPiece, new AddedTokens(specials),
                new int[] {wordPiece.id("[CLS]")}, new int[] {wordPiece.id("[SEP]")}, wordPiece.id("[PAD]"), maxLength,
                null);
    }

    /** The same tokenizer truncating at {@code maxLength} tokens, specials included. */
    public WordPieceTokenizer withMaxLength(int maxLength) {
        return new WordPieceTokenizer(normalizer, wordPiece, addedTokens, prefix, suffix, padId, maxLength, tokenizerJson);
    }

    // ---------------------------------------------------------------------------------------------
    // Encoding

    /** The word pieces of {@code text} without special tokens or truncation. */
    public List<String> tokenize(String text) {
        List<String> pieces = new ArrayList<>();
        pieces(text, new ArrayList<>(), pieces);
        return pieces;
    }

    /** Ids with specials, truncated on the right so that at most {@link #maxLength()} remain. */
    public Encoding encode(String text) {
        List<Integer> ids = new ArrayList<>();
        List<String> pieces = new ArrayList<>();
        pieces(text, ids, pieces);
        int wordPieces = ids.size();
        int room = maxLength - prefix.length - suffix.length;
        int kept = Math.min(wordPieces, room);
        int[] out = new int[prefix.length + kept + suffix.length];
        List<String> tokens = new ArrayList<>(out.length);
        int n = 0;
        for (int id : prefix) {
            out[n++] = id;
            tokens.add(wordPiece.token(id));
        }
        for (int i = 0; i < kept; i++) {
            out[n++] = ids.get(i);
            tokens.add(pieces.get(i));
        }
        for (int id : suffix) {
            out[n++] = id;
            tokens.add(wordPiece.token(id));
        }
        return new Encoding(out, List.copyOf(tokens), wordPieces, kept < wordPieces);
    }

    /** Encodes every text and pads the batch to the longest. */
    public TokenBatch encodeBatch(List<String> texts) {
        return TokenBatch.of(texts.stream().map(this::encode).toList(), padId);
    }

    private void pieces(String text, List<Integer> ids, List<String> pieces) {
        for (Segment raw : addedTokens.splitRaw(text)) {
            if (raw.isAddedToken()) {
                ids.add(raw.id());
                pieces.add(raw.text());
                continue;
            }
            String normalized = normalizer == null ? raw.text() : normalizer.normalize(raw.text());
            for (Segment seg : addedTokens.splitNormalized(normalized)) {
                if (seg.isAddedToken()) {
                    ids.add(seg.id());
                    pieces.add(seg.text());
                } else {
                    for (String word : BertPreTokenizer.split(seg.text())) {
                        wordPiece.tokenizeWord(word, ids, pieces);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    public int maxLength() {
        return maxLength;
    }

    public int padId() {
        return padId;
    }

    public int vocabSize() {
        return wordPiece.size();
    }

    /** The id of a token, or -1 when it is not in the vocabulary. */
    public int id(String token) {
        return wordPiece.id(token);
    }

    public String token(int id) {
        return wordPiece.token(id);
    }

    public WordPiece wordPiece() {
        return wordPiece;
    }

    /** The tokenizer.json text this was read from, or null when it came from a vocab.txt. */
    public String tokenizerJson() {
        return tokenizerJson;
    }

    /** Whether text is lower-cased (what tokenizer_config.json calls do_lower_case). */
    public boolean lowercase() {
        return normalizer != null && normalizer.lowercase();
    }

    /** Reads tokenizer.json fields with errors that name the file and the field. */
    private record JsonReader(String source) {
        JsonNode object(JsonNode parent, String field) throws ModelFormatException {
            JsonNode n = parent.get(field.substring(field.lastIndexOf('.') + 1));
            if (n == null || !n.isObject()) {
                throw new ModelFormatException(source, "missing or non-object field '" + field + "'");
            }
            return n;
        }

        void expectType(JsonNode node, String field, String type) throws ModelFormatException {
            String actual = node.path("type").asText("");
            if (!actual.equals(type)) {
                throw new ModelFormatException(source, field + ".type is '" + actual + "'; kmerl reads BERT WordPiece "
                        + "tokenizers only (" + field + ".type '" + type + "')");
            }
        }

        String text(JsonNode node, String field, String fallback) {
            JsonNode n = node.get(field);
            return n == null || n.isNull() ? fallback : n.asText();
        }

        int integer(JsonNode node, String field, int fallback) throws ModelFormatException {
            JsonNode n = node.get(field);
            if (n == null || n.isNull()) {
                return fallback;
            }
            if (!n.canConvertToInt()) {
                throw new ModelFormatException(source, "field '" + field + "' must be an integer, got " + n);
            }
            return n.asInt();
        }

        boolean bool(JsonNode node, String field, boolean fallback) {
            JsonNode n = node.get(field);
            return n == null || n.isNull() ? fallback : n.asBoolean();
        }

        /** {prefix ids, suffix ids} of a single sequence. */
        int[][] postProcessor(JsonNode pp, WordPiece vocab) throws ModelFormatException {
            if (pp == null || pp.isNull()) {
                return new int[][] {new int[0], new int[0]};
            }
            String type = pp.path("type").asText("");
            if (type.equals("BertProcessing")) {
                return new int[][] {{pp.path("cls").path(1).asInt()}, {pp.path("sep").path(1).asInt()}};
            }
            if (!type.equals("TemplateProcessing")) {
                throw new ModelFormatException(source, "post_processor.type '" + type
                        + "' is not supported (TemplateProcessing or BertProcessing)");
            }
            List<Integer> before = new ArrayList<>();
            List<Integer> after = new ArrayList<>();
            boolean seenSequence = false;
            for (JsonNode piece : pp.path("single")) {
                if (piece.has("Sequence")) {
                    seenSequence = true;
                    continue;
                }
                String name = piece.path("SpecialToken").path("id").asText(null);
                JsonNode ids = pp.path("special_tokens").path(name).path("ids");
                if (name == null || !ids.isArray() || ids.isEmpty()) {
                    throw new ModelFormatException(source, "post_processor.single: special token " + name
                            + " has no ids in post_processor.special_tokens");
                }
                for (JsonNode id : ids) {
                    if (id.asInt(-1) < 0 || id.asInt() >= vocab.size()) {
                        throw new ModelFormatException(source, "post_processor: id " + id + " of " + name
                                + " is outside the vocabulary");
                    }
                    (seenSequence ? after : before).add(id.asInt());
                }
            }
            if (!seenSequence) {
                throw new ModelFormatException(source, "post_processor.single has no Sequence");
            }
            return new int[][] {before.stream().mapToInt(Integer::intValue).toArray(),
                    after.stream().mapToInt(Integer::intValue).toArray()};
        }
    }
}
