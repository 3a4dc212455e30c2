package org.kmerl.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kmerl.model.text.TextEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kmerl text}: the text encoder on the command line. */
@Command(name = "text", mixinStandardHelpOptions = true,
        description = "Tokenize and embed text with a BERT encoder (the embedded all-MiniLM-L6-v2 or a Hugging Face folder).",
        subcommands = {TextEmbedCommand.class, TextTokenizeCommand.class},
        footer = {"", "Examples:",
            "  kmerl text embed \"sinus rhythm\" \"atrial fibrillation\" --cosine",
            "  kmerl text embed -m ~/MedCPT-Query-Encoder --pooling pooler -f reports.txt -o r.safetensors",
            "  kmerl text tokenize \"Überleitungsstörung, QTc 512 ms\""})
final class TextCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options shared by the text sub-commands: which model, and where the texts come from. */
    static final class Input {
        @Option(names = {"-m", "--model"}, defaultValue = TextEncoder.MINILM, paramLabel = "MODEL",
                description = "'minilm' (embedded all-MiniLM-L6-v2) or a Hugging Face BERT folder "
                        + "(config.json, model.safetensors, tokenizer.json or vocab.txt). Default: ${DEFAULT-VALUE}.")
        String model;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE",
                description = "Read texts from FILE, one per line (blank lines skipped); '-' reads standard input.")
        String file;

        @Parameters(paramLabel = "TEXT", arity = "0..*", description = "Texts (each argument is one text).")
        List<String> texts = new ArrayList<>();

        /** The texts from the arguments, then from the file; at least one. */
        List<String> texts() throws IOException {
            List<String> all = new ArrayList<>(texts);
            if (file != null) {
                List<String> lines;
                try {
                    lines = file.equals("-")
                            ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()
                            : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
                } catch (NoSuchFileException e) {
                    throw new NoSuchFileException(file, null, "no such file (--file)");
                }
                lines.stream().filter(l -> !l.isBlank()).forEach(all::add);
            }
            if (all.isEmpty()) {
                throw new IllegalArgumentException("no text given: pass texts as arguments or --file FILE");
            }
            return all;
        }
    }
}
