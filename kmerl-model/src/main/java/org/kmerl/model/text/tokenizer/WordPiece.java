package org.kmerl.model.text.tokenizer;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The WordPiece model: each pre-tokenised word becomes the greedy longest-match-first sequence of
 * vocabulary entries, pieces after the first carrying the continuation prefix ({@code ##}). A word
 * that cannot be covered, or that is longer than {@code maxInputCharsPerWord} characters, becomes
 * the single unknown token.
 *
 * <pre>
 *   "fibrillation" -> fi ##bri ##llation      (a word no pieces cover) -> [UNK]
 * </pre>
 */
public final class WordPiece {
    private final Map<String, Integer> vocab;
    private final String[] tokens;
    private final String unkToken;
    private final int unkId;
    private final String continuationPrefix;
    private final int maxInputCharsPerWord;

    /**
     * {@code tokensById} lists the vocabulary in id order (a vocab.txt, line by line). A token listed
     * twice maps to its last id, as in Hugging Face's loaders.
     */
    public WordPiece(List<String> tokensById, String unkToken, String continuationPrefix, int maxInputCharsPerWord) {
        this.tokens = tokensById.toArray(new String[0]);
        Map<String, Integer> ids = new HashMap<>(tokens.length * 2);
        for (int id = 0; id < tokens.length; id++) {
            if (tokens[id] == null) {
                throw new IllegalArgumentException("vocabulary has no token with id " + id);
            }
            ids.put(tokens[id], id);
        }
        this.vocab = ids;
        Integer unk = vocab.get(unkToken);
        if (unk == null) {
            throw new IllegalArgumentException("the unknown token '" + unkToken + "' is not in the vocabulary");
        }
        this.unkToken = unkToken;
        this.unkId = unk;
        this.continuationPrefix = continuationPrefix;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
    }

    /** Appends the pieces of one word to {@code ids} (and to {@code pieces} when not null). */
    public void tokenizeWord(String word, List<Integer> ids, List<String> pieces) {
        if (word.codePointCount(0, word.length()) > maxInputCharsPerWord) {
            add(unkId, ids, pieces);
            return;
        }
        int mark = ids.size();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            Integer found = null;
            while (start < end) {
                String candidate = start > 0 ? continuationPrefix + word.substring(start, end) : word.substring(start, end);
                found = vocab.get(candidate);
                if (found != null) {
                    break;
                }
                end = word.offsetByCodePoints(end, -1);
            }
            if (found == null) {
                // Not coverable: the whole word, not just the rest, becomes [UNK].
                truncate(ids, mark);
                if (pieces != null) {
                    truncate(pieces, mark);
                }
                add(unkId, ids, pieces);
                return;
            }
            add(found, ids, pieces);
            start = end;
        }
    }

    private void add(int id, List<Integer> ids, List<String> pieces) {
        ids.add(id);
        if (pieces != null) {
            pieces.add(tokens[id]);
        }
    }

    private static void truncate(List<?> list, int size) {
        list.subList(size, list.size()).clear();
    }

    /** The id of {@code token}, or -1 when it is not in the vocabulary. */
    public int id(String token) {
        Integer id = vocab.get(token);
        return id == null ? -1 : id;
    }

    public String token(int id) {
        return tokens[id];
    }

    public int size() {
        return tokens.length;
    }

    public String unkToken() {
        return unkToken;
    }

    /** The tokens in id order (what a vocab.txt lists line by line). */
    public List<String> tokensById() {
        return Collections.unmodifiableList(List.of(tokens));
    }

    public String continuationPrefix() {
        return continuationPrefix;
    }

    public int maxInputCharsPerWord() {
        return maxInputCharsPerWord;
    }
}
