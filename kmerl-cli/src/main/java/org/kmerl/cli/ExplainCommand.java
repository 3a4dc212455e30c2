package org.kmerl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kmerl.model.data.EcgFiles;
import org.kmerl.model.data.EcgRecord;
import org.kmerl.model.explain.AttentionMap;
import org.kmerl.model.pretrain.PretrainedModel;
import org.kmerl.model.text.TextEncoder;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kmerl explain attention}: what the cardiac query network looks at on one ECG. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Look inside a pretrained model.",
        subcommands = {ExplainCommand.Attention.class})
public final class ExplainCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "attention", mixinStandardHelpOptions = true,
            description = "A PNG of the cardiac query network's cross-attention over leads x time on one ECG: for"
                    + " the entities it finds most probable (or the ones given), which patches of which leads it"
                    + " attends to, shaded under the 12-lead trace.",
            footer = {"", "Examples:",
                "  kmerl explain attention --checkpoint runs/ptbxl \\",
                "        --record ../shared/data/ptbxl/records100/00000/00009_lr -o attention.png",
                "  kmerl explain attention --checkpoint runs/ptbxl --record REC \\",
                "        --entities 'atrial fibrillation;left bundle branch block' -o af.png"})
    static final class Attention implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "a pretraining run or checkpoint")
        Path checkpoint;

        @Option(names = "--record", required = true, paramLabel = "PATH",
                description = "a WFDB record (path without extension; Challenge .mat records too)")
        Path record;

        @Option(names = "--entities", split = ";", paramLabel = "NAME[;NAME...]",
                description = "entity names to ask about, together as one query set (their probabilities depend on"
                        + " the set; default: the checkpoint's entities, the --top most probable drawn)")
        List<String> entities;

        @Option(names = "--top", defaultValue = "3", description = "how many entities to draw (default: ${DEFAULT-VALUE})")
        int top;

        @Option(names = {"-o", "--out"}, required = true, paramLabel = "PNG", description = "the image to write")
        Path out;

        @Option(names = "--text-model", defaultValue = TextEncoder.MINILM, paramLabel = "minilm|DIR",
                description = "the text encoder the checkpoint was pretrained with (default: ${DEFAULT-VALUE})")
        String textModel;

        @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda:N",
                description = "where the model runs (default: ${DEFAULT-VALUE})")
        String device;

        @Override
        public Integer call() throws IOException {
            PrintWriter o = spec.commandLine().getOut();
            PretrainedModel model = PretrainedModel.load(checkpoint);
            Device dev = PretrainCommand.pickDevice(device);
            model.model().to(dev);
            EcgRecord ecg = EcgFiles.open(record, null);
            List<String> names = entities != null ? entities : model.entities().names();
            TextEncoder text = model.textEncoder(textModel);
            AttentionMap map;
            try (Tensor nameText = text.embed(names)) {
                map = AttentionMap.of(model.model(), dev, ecg, names, nameText, entities != null ? 0 : top);
            }
            map.write(out, String.format(Locale.ROOT, "Cardiac query network on %s (%s)", record.getFileName(),
                    model.dir()));
            for (AttentionMap.Entity e : map.entities()) {
                o.printf(Locale.ROOT, "%-40s p = %.3f%n", e.name(), e.probability());
            }
            o.println("wrote      " + out);
            return 0;
        }
    }
}
