package org.kmerl.model.knowledge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Report text as the matcher sees it: lower case, German and Swedish letters folded to ASCII (ä -> a,
 * ö -> o, ü -> u, ß -> ss, å -> a; PTB-XL's export also writes ü as '#': "f#r"), split into clauses
 * (at . ; ! ? and line breaks, and at runs of three or more spaces, which separate the statements of
 * PTB-XL's German machine reports) and tokens (runs of letters and digits).
 */
public final class TextNormalizer {
    private TextNormalizer() {
    }

    /** The folded lower-case text. */
    public static String fold(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
            switch (c) {
                case 'ä', 'á', 'à', 'â', 'å' -> b.append('a');
                case 'ö', 'ó', 'ò', 'ô', 'ø' -> b.append('o');
                case 'ü', 'ú', 'ù', 'û', '#' -> b.append('u');
                case 'é', 'è', 'ê', 'ë' -> b.append('e');
                case 'ß' -> b.append("ss");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** The clauses of a report, each a list of tokens. */
    public static List<List<String>> clauses(String text) {
        String t = fold(text);
        List<List<String>> out = new ArrayList<>();
        List<String> current = new ArrayList<>();
        int spaces = 0;
        StringBuilder token = new StringBuilder();
        for (int i = 0; i <= t.length(); i++) {
            char c = i < t.length() ? t.charAt(i) : '\n';
            boolean word = Character.isLetterOrDigit(c);
            if (word) {
                token.append(c);
                spaces = 0;
                continue;
            }
            if (token.length() > 0) {
                current.add(token.toString());
                token.setLength(0);
            }
            spaces = c == ' ' ? spaces + 1 : 0;
            boolean decimalPoint = c == '.' && i > 0 && i + 1 < t.length() && Character.isDigit(t.charAt(i - 1))
                    && Character.isDigit(t.charAt(i + 1));
            boolean boundary = (c == '.' && !decimalPoint) || c == ';' || c == '!' || c == '?' || c == '\n' || c == '\r'
                    || spaces == 3;
            if (boundary && !current.isEmpty()) {
                out.add(current);
                current = new ArrayList<>();
            }
        }
        return out;
    }

    /** The tokens of a phrase (as clauses() would make them, ignoring clause boundaries). */
    public static List<String> tokens(String phrase) {
        List<String> out = new ArrayList<>();
        for (List<String> c : clauses(phrase.replace('.', ' ').replace(';', ' '))) {
            out.addAll(c);
        }
        return out;
    }
}
