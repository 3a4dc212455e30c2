package org.kmerl.model.data.ptbxl;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses PTB-XL's {@code scp_codes} column, a Python dict literal such as {@code {'NORM': 100.0, 'SR': 0.0}}. */
final class PythonDict {
    private static final Pattern ENTRY = Pattern.compile("\\s*'([^']*)'\\s*:\\s*([-+0-9.eE]+)\\s*");

    private PythonDict() {
    }

    static Map<String, Double> parse(String text) {
        String s = text.strip();
        if (!s.startsWith("{") || !s.endsWith("}")) {
            throw new IllegalArgumentException("scp_codes '" + text + "' is not a {'CODE': likelihood, ...} dict");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        String body = s.substring(1, s.length() - 1).strip();
        if (body.isEmpty()) {
            return out;
        }
        for (String item : body.split(",")) {
            Matcher m = ENTRY.matcher(item);
            if (!m.matches()) {
                throw new IllegalArgumentException("scp_codes entry '" + item.strip() + "' is not 'CODE': number");
            }
            out.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return out;
    }
}
