package org.kmerl.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.kmerl.model.text.TextEncoder;
import org.kmerl.model.text.tokenizer.Encoding;
import org.kmerl.model.text.tokenizer.WordPieceTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kmerl text tokenize}: word pieces and ids, as the encoder sees them. */
@Command(name = "tokenize", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show the word pieces and token ids of texts (no weights are loaded).")
final class TextTokenizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TextCommand.Input input;

    @Option(names = "--max-length", paramLabel = "N", description = "Truncate at N tokens, specials included "
            + "(default: the tokenizer's own; 128 for minilm).")
    Integer maxLength;

    @Option(names = "--ids", description = "Print only the ids, space-separated.")
    boolean idsOnly;

    @Override
    public Integer call() throws Exception {
        WordPieceTokenizer tokenizer = tokenizer(input.model);
        if (maxLength != null) {
            tokenizer = tokenizer.withMaxLength(maxLength);
        }
        PrintWriter w = spec.commandLine().getOut();
        for (String text : input.texts()) {
            Encoding e = tokenizer.encode(text);
            String ids = Arrays.stream(e.ids()).mapToObj(Integer::toString).collect(Collectors.joining(" "));
            if (idsOnly) {
                w.println(ids);
                continue;
            }
            w.printf("\"%s\"%n  tokens %s%n  ids    %s%n", text, String.join(" ", e.tokens()), ids);
            if (e.truncated()) {
                w.printf("  (truncated: %d word pieces, %d kept)%n", e.wordPieces(), e.length());
            }
        }
        w.flush();
        return 0;
    }

    /** The tokenizer alone: the embedded MiniLM one, or a folder's tokenizer.json / vocab.txt. */
    private static WordPieceTokenizer tokenizer(String model) throws Exception {
        if (model.equals(TextEncoder.MINILM)) {
            return TextEncoder.minilmTokenizer();
        }
        return TextEncoder.huggingFaceTokenizer(Path.of(model));
    }
}
