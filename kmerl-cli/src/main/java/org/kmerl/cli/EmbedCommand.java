package org.kmerl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.kmerl.model.eval.EvalRecord;
import org.kmerl.model.eval.Features;
import org.kmerl.model.eval.LeadView;
import org.kmerl.tensor.io.AtomicFiles;
import org.kmerl.tensor.io.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kmerl embed}: ECG embeddings of a dataset as NumPy arrays with an index. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "ECG embeddings of every record of a dataset from a pretrained checkpoint: embeddings.npy (the"
                + " projected embedding in the joint ECG-text space), features.npy (the pooled encoder output) and"
                + " index.csv (row, id, split, path); numpy.load reads the arrays.",
        footer = {"", "Examples:",
            "  kmerl embed --checkpoint runs/ptbxl --data ../shared/data/ptbxl --out emb/ptbxl",
            "  kmerl embed --checkpoint runs/ptbxl --data ../shared/data/ptbxl --leads I --out emb/lead-I",
            "  python3 -c \"import numpy; print(numpy.load('emb/ptbxl/embeddings.npy').shape)\""})
public final class EmbedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    EvalCommand.Common common;

    @Option(names = "--leads", defaultValue = "all", paramLabel = "SET",
            description = "leads the encoder sees: a preset or a list such as I,II,V2 (default: all)")
    String leads;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        EvalCommand.Loaded l = EvalCommand.load(common, out, EvalCommand.commandLine(spec));
        Features f = l.evaluator().features(LeadView.parse(leads, false));
        Npy.write(common.out.resolve("embeddings.npy"), f.embedding(), f.embedding()[0].length);
        Npy.write(common.out.resolve("features.npy"), f.pooled(), f.pooled()[0].length);
        StringWriter csv = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(csv, CSVFormat.DEFAULT.builder().setHeader("row", "id", "split", "path").get())) {
            int row = 0;
            for (EvalRecord r : l.dataset().records()) {
                p.printRecord(row++, r.id(), r.split().name().toLowerCase(java.util.Locale.ROOT), r.path());
            }
        }
        AtomicFiles.write(common.out.resolve("index.csv"), o -> o.write(csv.toString().getBytes(StandardCharsets.UTF_8)));
        out.printf(java.util.Locale.ROOT, "wrote      %s [%d, %d], %s [%d, %d], %s%n", common.out.resolve("embeddings.npy"),
                f.embedding().length, f.embedding()[0].length, common.out.resolve("features.npy"), f.pooled().length,
                f.pooled()[0].length, common.out.resolve("index.csv"));
        return 0;
    }
}
