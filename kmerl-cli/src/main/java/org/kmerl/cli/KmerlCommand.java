package org.kmerl.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The root command: global options and the list of sub-commands. */
@Command(name = "kmerl",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "ECG-report representation learning (K-MERL) on a from-scratch tensor library.",
        subcommands = {DemoCommand.class, DevicesCommand.class, DataCommand.class, MineCommand.class, TextCommand.class, PretrainCommand.class, EvalCommand.class, EmbedCommand.class, ExplainCommand.class, ProfileCommand.class, KernelsCommand.class, picocli.CommandLine.HelpCommand.class},
        footer = {"", "Examples:", "  kmerl demo                                        the whole pipeline, ~4 minutes",
            "  kmerl eval leads --checkpoint runs/demo/pretrain --data DIR --out eval   partial leads",
            "  kmerl profile --preset small --out step.json      one training step, op by op",
            "  kmerl devices                                     what will run the tensors",
            "  kmerl text embed --cosine \"sinus rhythm\" \"normal ecg\"   compare two texts",
            "  kmerl data plot RECORD -o ecg.png                 a 12-lead record on ECG paper",
            "  kmerl mine --reports ../shared/data/ptbxl --out mined   cardiac entities from reports",
            "  kmerl kernels bench gemm                          time the CUDA GEMM variants"})
public final class KmerlCommand implements Runnable {
    @Spec
    CommandSpec spec;

    /** Read by {@link ErrorHandler}: print stack traces instead of one-line errors. */
    @Option(names = "--debug", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Print full stack traces on errors.")
    boolean debug;

    /** Read by {@link Main}: record every op in a Chrome trace and print a per-op summary at exit. */
    @Option(names = "--trace", scope = picocli.CommandLine.ScopeType.INHERIT, paramLabel = "FILE",
            description = "Write a Chrome trace (Perfetto, chrome://tracing) of every tensor op to FILE and print a"
                    + " per-op summary (calls, time, share, GB/s, GFLOP/s, %% of peak) at exit.")
    java.nio.file.Path trace;

    /** Kernel variants for this run: declared here for parsing and help; {@link Main} reads every occurrence. */
    @Option(names = "--kernel", scope = picocli.CommandLine.ScopeType.INHERIT, paramLabel = "OP=VARIANT",
            description = "Run OP's GPU kernels as VARIANT, e.g. --kernel layernorm=v3 (repeatable; `kmerl kernels"
                    + " list` shows the variants; the KMERL_KERNELS environment variable does the same).")
    java.util.List<String> kernels;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
