package org.kmerl.model.text.tokenizer;

import java.text.Normalizer;
import java.util.Locale;

/**
 * BERT's text normalisation, as Hugging Face tokenizers' {@code BertNormalizer} does it, in order:
 * clean the text (drop NUL, U+FFFD and control/format/unassigned/private-use characters, turn every
 * white-space character into a space), put spaces around CJK ideographs, strip accents (NFD, then
 * drop non-spacing marks), lower-case.
 */
public record BertNormalizer(boolean cleanText, boolean handleChineseChars, boolean stripAccents, boolean lowercase) {

    /** The settings of uncased BERT models (all-MiniLM-L6-v2, MedCPT, BioBERT-uncased). */
    public static BertNormalizer uncased() {
        return new BertNormalizer(true, true, true, true);
    }

    public String normalize(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(c -> {
            if (cleanText) {
                if (c == 0 || c == 0xFFFD || isControl(c)) {
                    return;
                }
                if (isWhitespace(c)) {
                    sb.append(' ');
                    return;
                }
            }
            if (handleChineseChars && isChinese(c)) {
                sb.append(' ').appendCodePoint(c).append(' ');
            } else {
                sb.appendCodePoint(c);
            }
        });
        String s = sb.toString();
        if (stripAccents) {
            s = stripAccents(s);
        }
        if (lowercase) {
            s = lowercase(s);
        }
        return s;
    }

    /**
     * Lower-cases character by character, as Rust's {@code char::to_lowercase} does: full mappings
     * (U+0130 becomes "i" plus a combining dot) but no context rules (a word-final capital sigma
     * becomes σ, not ς, unlike {@link String#toLowerCase}).
     */
    static String lowercase(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c < 0x80) {
                sb.append((char) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c));
            } else {
                sb.append(new String(Character.toChars(c)).toLowerCase(Locale.ROOT));
            }
        });
        return sb.toString();
    }

    private static String stripAccents(String s) {
        String decomposed = Normalizer.normalize(s, Normalizer.Form.NFD);
        StringBuilder sb = new StringBuilder(decomposed.length());
        decomposed.codePoints().forEach(c -> {
            if (Character.getType(c) != Character.NON_SPACING_MARK) {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }

    /** Unicode White_Space (what Rust's char::is_whitespace tests), tab, newline and return included. */
    static boolean isWhitespace(int c) {
        return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F
                || c == 0x3000;
    }

    /** "Other" characters (Cc, Cf, Cn, Co, Cs), except tab, newline and return, which are white space. */
    static boolean isControl(int c) {
        if (c == '\t' || c == '\n' || c == '\r') {
            return false;
        }
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE || type == Character.SURROGATE;
    }

    /** The CJK ideograph blocks BERT isolates (not Hangul, Hiragana or Katakana). */
    static boolean isChinese(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF)
                || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    }
}
