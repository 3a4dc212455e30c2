package org.kmerl.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation points at real things: every relative link of README.md and docs/ resolves, every
 * backticked repository path exists, and every backticked {@code Class.member} names a Java class of
 * the project whose source mentions that member.
 */
class DocsReferencesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
    private static final Pattern PATH = Pattern.compile(
            "`((?:tensor|autograd|kernels|kmerl-model|kmerl-cli|benchmarks|docs|\\.ci)/[A-Za-z0-9_./-]+)`");
    private static final Pattern SYMBOL = Pattern.compile("`([A-Z][A-Za-z0-9]+)\\.([a-z][A-Za-z0-9]+)(?:\\(\\))?`");

    private static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> s = Files.walk(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).forEach(docs::add);
        }
        return docs;
    }

    private static Map<String, List<Path>> javaSources() throws IOException {
        Map<String, List<Path>> byName = new HashMap<>();
        for (String module : new String[] {"tensor", "autograd", "kernels", "kmerl-model", "kmerl-cli", "benchmarks"}) {
            try (Stream<Path> s = Files.walk(ROOT.resolve(module).resolve("src"))) {
                s.filter(p -> p.toString().endsWith(".java")).forEach(p -> byName.computeIfAbsent(
                        p.getFileName().toString().replace(".java", ""), k -> new ArrayList<>()).add(p));
            }
        }
        return byName;
    }

    @Test
    void linksPathsAndSymbolsExist() throws IOException {
        Map<String, List<Path>> sources = javaSources();
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path doc : documents()) {
            String text = Files.readString(doc);
            String name = ROOT.relativize(doc).toString();
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.contains("://") || target.startsWith("mailto:")) {
                    continue;
                }
                checked++;
                if (!Files.exists(doc.getParent().resolve(target).normalize())) {
                    broken.add(name + ": link " + target);
                }
            }
            m = PATH.matcher(text);
            while (m.find()) {
                String path = m.group(1).replaceAll("[.,:]+$", "");
                if (path.contains("*") || path.endsWith("/...")) {
                    continue;
                }
                checked++;
                if (!Files.exists(ROOT.resolve(path))) {
                    broken.add(name + ": path " + path);
                }
            }
            m = SYMBOL.matcher(text);
            while (m.find()) {
                List<Path> files = sources.get(m.group(1));
                if (files == null) {
                    continue;   // not a class of ours (String.format, Math.max, ...)
                }
                checked++;
                String member = m.group(2);
                if (member.equals("java")) {
                    continue;   // a file name (`Philox.java`): the class exists
                }
                boolean found = files.stream().anyMatch(f -> read(f).contains(member));
                if (!found) {
                    broken.add(name + ": symbol " + m.group(1) + "." + member);
                }
            }
        }
        assertTrue(checked > 50, "the docs reference " + checked + " things");
        assertTrue(broken.isEmpty(), "broken references in the docs:\n  " + String.join("\n  ", broken));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
