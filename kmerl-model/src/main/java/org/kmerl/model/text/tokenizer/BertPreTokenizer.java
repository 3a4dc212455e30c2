package org.kmerl.model.text.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * BERT's pre-tokeniser, as Hugging Face tokenizers' {@code BertPreTokenizer}: split on white space
 * (which is dropped) and make every punctuation character a word of its own. Punctuation is ASCII
 * punctuation (symbols such as {@code $ + < = > ^ ` | ~} included) or any Unicode P* character.
 */
public final class BertPreTokenizer {
    private BertPreTokenizer() {
    }

    public static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        int wordStart = -1;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int next = i + Character.charCount(c);
            if (BertNormalizer.isWhitespace(c) || isPunctuation(c)) {
                if (wordStart >= 0) {
                    words.add(text.substring(wordStart, i));
                    wordStart = -1;
                }
                if (!BertNormalizer.isWhitespace(c)) {
                    words.add(text.substring(i, next));
                }
            } else if (wordStart < 0) {
                wordStart = i;
            }
            i = next;
        }
        if (wordStart >= 0) {
            words.add(text.substring(wordStart));
        }
        return words;
    }

    static boolean isPunctuation(int c) {
        if (c < 0x80) {
            return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
        }
        return switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }
}
