package org.kmerl.model.text.tokenizer;

import java.util.List;

/**
 * One encoded text: token ids with the special tokens added ({@code [CLS] ... [SEP]}), the tokens
 * themselves, and how many word pieces the text had before truncation.
 */
public record Encoding(int[] ids, List<String> tokens, int wordPieces, boolean truncated) {
    public int length() {
        return ids.length;
    }
}
