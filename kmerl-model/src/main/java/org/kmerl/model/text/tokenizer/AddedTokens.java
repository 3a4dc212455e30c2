package org.kmerl.model.text.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Tokens that are never split ({@code [CLS]}, {@code [MASK]}, ...): before normalisation the raw
 * text is cut at every occurrence of a non-normalised added token, and each piece in between goes
 * through the normaliser and WordPiece; normalised added tokens are matched again in the normalised
 * pieces. As in Hugging Face tokenizers, {@code lstrip}/{@code rstrip} make a token swallow the white
 * space on its left/right and {@code singleWord} only matches it between word boundaries. Longer
 * tokens win over shorter ones starting at the same place.
 */
public final class AddedTokens {

    /** One added token as listed in tokenizer.json's {@code added_tokens}. */
    public record AddedToken(int id, String content, boolean singleWord, boolean lstrip, boolean rstrip,
                             boolean normalized) {
        public AddedToken {
            if (content.isEmpty()) {
                throw new IllegalArgumentException("added token " + id + " has empty content");
            }
        }

        /** A special token matched verbatim in the raw text (how BERT's specials are declared). */
        public static AddedToken special(int id, String content) {
            return new AddedToken(id, content, false, false, false, false);
        }
    }

    /** A piece of text: either plain text to tokenise ({@code id == -1}) or one added token. */
    public record Segment(String text, int id) {
        public boolean isAddedToken() {
            return id >= 0;
        }
    }

    private final List<AddedToken> raw;
    private final List<AddedToken> normalized;

    public AddedTokens(List<AddedToken> tokens) {
        Comparator<AddedToken> longestFirst = Comparator.comparingInt((AddedToken t) -> -t.content().length());
        this.raw = tokens.stream().filter(t -> !t.normalized()).sorted(longestFirst).toList();
        this.normalized = tokens.stream().filter(AddedToken::normalized).sorted(longestFirst).toList();
    }

    /** Splits raw text at the tokens matched before normalisation. */
    public List<Segment> splitRaw(String text) {
        return split(text, raw);
    }

    /** Splits normalised text at the tokens matched after normalisation. */
    public List<Segment> splitNormalized(String text) {
        return split(text, normalized);
    }

    public List<AddedToken> all() {
        List<AddedToken> out = new ArrayList<>(raw);
        out.addAll(normalized);
        out.sort(Comparator.comparingInt(AddedToken::id));
        return out;
    }

    private static List<Segment> split(String text, List<AddedToken> tokens) {
        List<Segment> out = new ArrayList<>();
        if (tokens.isEmpty()) {
            out.add(new Segment(text, -1));
            return out;
        }
        int plainStart = 0;
        int i = 0;
        while (i < text.length()) {
            AddedToken match = matchAt(text, i, tokens);
            if (match == null) {
                i++;
                continue;
            }
            int plainEnd = i;
            if (match.lstrip()) {
                while (plainEnd > plainStart && Character.isWhitespace(text.charAt(plainEnd - 1))) {
                    plainEnd--;
                }
            }
            if (plainEnd > plainStart) {
                out.add(new Segment(text.substring(plainStart, plainEnd), -1));
            }
            out.add(new Segment(match.content(), match.id()));
            i += match.content().length();
            if (match.rstrip()) {
                while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
            }
            plainStart = i;
        }
        if (plainStart < text.length()) {
            out.add(new Segment(text.substring(plainStart), -1));
        }
        return out;
    }

    private static AddedToken matchAt(String text, int i, List<AddedToken> tokens) {
        for (AddedToken t : tokens) {
            if (text.startsWith(t.content(), i) && (!t.singleWord() || atWordBoundaries(text, i, i + t.content().length()))) {
                return t;
            }
        }
        return null;
    }

    private static boolean atWordBoundaries(String text, int start, int end) {
        boolean left = start == 0 || !Character.isLetterOrDigit(text.codePointBefore(start));
        boolean right = end == text.length() || !Character.isLetterOrDigit(text.codePointAt(end));
        return left && right;
    }
}
