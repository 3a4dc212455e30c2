package org.kmerl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kmerl.model.data.EcgFiles;
import org.kmerl.model.data.EcgRecord;
import org.kmerl.model.data.challenge.DxMapping;
import org.kmerl.model.data.plot.EcgPaperPlot;
import org.kmerl.model.data.wfdb.SignalSpec;
import org.kmerl.model.data.wfdb.WfdbHeader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kmerl data}: look at ECG records (WFDB, PTB-XL, Challenge 2021). */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Inspect and plot ECG records: WFDB (PTB-XL, MIMIC-IV-ECG, ...) and Challenge 2021 .hea/.mat.",
        subcommands = {DataCommand.Inspect.class, DataCommand.Plot.class, DataCommand.Synth.class, DataCommand.Cache.class},
        footer = {"", "Examples:",
            "  kmerl data inspect ../shared/data/ptbxl/records500/00000/00001_hr",
            "  kmerl data inspect ../shared/data/challenge2021/A1041.hea --dx-mapping ../shared/data/labels",
            "  kmerl data plot ../shared/data/ptbxl/records500/00000/00001_hr -o ecg.png",
            "  kmerl data synth -n 1000 --seed 1 -o data/synth",
            "  kmerl data cache ../shared/data/ptbxl -o cache/ptbxl-100hz --rate 100 --length 1000"})
final class DataCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options shared by the subcommands that open one record. */
    static final class RecordOptions {
        @Parameters(paramLabel = "RECORD", description = "a .hea file, or the record path without extension")
        Path record;

        @Option(names = "--dx-mapping", paramLabel = "DIR",
                description = "folder with the Challenge's dx_mapping_scored.csv (SNOMED-CT codes -> abbreviations)")
        Path dxMapping;

        EcgRecord open() throws IOException {
            return EcgFiles.open(record, dxMapping == null ? null : DxMapping.load(dxMapping));
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Header, leads, sampling rate, duration, labels, report and per-lead statistics of a record.")
    static final class Inspect implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        RecordOptions options = new RecordOptions();

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            EcgRecord r = options.open();
            Path hea = options.record.toString().endsWith(".hea") ? options.record
                    : options.record.resolveSibling(options.record.getFileName() + ".hea");
            WfdbHeader h = WfdbHeader.read(hea);
            out.printf(Locale.ROOT, "record   %s (%s)%n", r.id(), hea);
            out.printf(Locale.ROOT, "rate     %s Hz, %d samples, %.2f s%n", trim(r.samplingRate()), r.numSamples(),
                    r.durationSeconds());
            if (!r.labels().isEmpty()) {
                out.printf("labels   %s%n", String.join(", ", r.labels().stream().sorted().toList()));
            }
            if (!r.report().isEmpty()) {
                out.printf("report   %s%n", r.report());
            }
            r.metadata().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> out.printf("%-8s %s%n", e.getKey(), e.getValue()));
            out.printf("%-5s %-12s %-9s %9s %9s %9s %9s %7s%n", "lead", "file", "gain", "min mV", "max mV", "mean",
                    "std", "missing");
            for (int l = 0; l < r.leads().size(); l++) {
                SignalSpec s = h.signals().get(l);
                float[] x = r.signals()[l];
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                double sum = 0;
                double sq = 0;
                int n = 0;
                int missing = 0;
                for (float v : x) {
                    if (!Float.isFinite(v)) {
                        missing++;
                        continue;
                    }
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    sum += v;
                    sq += (double) v * v;
                    n++;
                }
                double mean = n == 0 ? Double.NaN : sum / n;
                double std = n == 0 ? Double.NaN : Math.sqrt(Math.max(0, sq / n - mean * mean));
                out.printf(Locale.ROOT, "%-5s %-12s %-9s %9.3f %9.3f %9.3f %9.3f %7d%n", r.leads().get(l).label(),
                        s.fileName() + " f" + s.formatCode(), trim(s.gain()) + "/" + s.units(), min, max, mean, std, missing);
            }
            return 0;
        }
    }

    @Command(name = "plot", mixinStandardHelpOptions = true,
            description = "Draw a record as on ECG paper (25 mm/s, 10 mm/mV, 3x4 leads + lead II rhythm strip) to a PNG.")
    static final class Plot implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        RecordOptions options = new RecordOptions();

        @Option(names = {"-o", "--output"}, paramLabel = "PNG", defaultValue = "ecg.png",
                description = "output file (default: ${DEFAULT-VALUE})")
        Path output;

        @Option(names = "--title", description = "title line (default: record id, labels and report)")
        String title;

        @Override
        public Integer call() throws IOException {
            EcgRecord r = options.open();
            String t = title != null ? title : r.id() + (r.labels().isEmpty() ? "" : "  [" + String.join(", ",
                    r.labels().stream().sorted().toList()) + "]") + (r.report().isEmpty() ? "" : "  " + r.report());
            EcgPaperPlot.write(r, t.length() > 160 ? t.substring(0, 157) + "..." : t, output);
            spec.commandLine().getOut().println("wrote " + output);
            return 0;
        }
    }

    @Command(name = "synth", mixinStandardHelpOptions = true,
            description = "Generate synthetic 12-lead ECGs with findings and English reports (WFDB + reports.csv);"
                    + " rerunning with the same seed resumes.")
    static final class Synth implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-n", "--count"}, defaultValue = "100", description = "records (default: ${DEFAULT-VALUE})")
        int count;

        @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "output folder")
        Path output;

        @Option(names = "--rate", defaultValue = "500", description = "sampling rate in Hz (default: ${DEFAULT-VALUE})")
        double rate;

        @Option(names = "--seconds", defaultValue = "10", description = "length in seconds (default: ${DEFAULT-VALUE})")
        double seconds;

        @Option(names = "--no-noise", description = "no baseline wander, muscle noise or mains")
        boolean noNoise;

        @Override
        public Integer call() throws IOException {
            if (count < 1) {
                throw new IllegalArgumentException("--count must be at least 1, got " + count);
            }
            org.kmerl.model.data.synth.SyntheticEcg generator =
                    new org.kmerl.model.data.synth.SyntheticEcg(rate, seconds, !noNoise);
            try (Progress progress = new Progress("synth", count, "rec")) {
                org.kmerl.model.data.synth.SyntheticDataset.write(output, count, seed, generator, progress::done);
            }
            spec.commandLine().getOut().printf("wrote %d records to %s (WFDB under records/, reports in %s)%n", count,
                    output, org.kmerl.model.data.synth.SyntheticDataset.REPORTS);
            return 0;
        }
    }

    @Command(name = "cache", mixinStandardHelpOptions = true,
            description = "Preprocess a whole dataset once into a memory-mapped int16 cache that training reads;"
                    + " resumes when run again. Datasets: a synthetic folder (reports.csv), MIMIC-IV-ECG (record_list.csv),"
                    + " PTB-XL (ptbxl_database.csv) or a folder of .hea records (Challenge 2021).")
    static final class Cache implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DATASET", description = "the dataset folder")
        Path dataset;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "cache folder")
        Path output;

        @Option(names = "--rate", defaultValue = "100", description = "target rate in Hz (default: ${DEFAULT-VALUE})")
        double rate;

        @Option(names = "--length", defaultValue = "1000", description = "samples per lead (default: ${DEFAULT-VALUE})")
        int length;

        @Option(names = "--leads", defaultValue = "all",
                description = "leads to keep: all, limb, chest, 3-lead, or a list like I,II,V1 (default: ${DEFAULT-VALUE})")
        String leads;

        @Option(names = "--band", defaultValue = "0.5,0", paramLabel = "LOW,HIGH",
                description = "band-pass corners in Hz, 0 = open (default: ${DEFAULT-VALUE}: baseline wander removal only)")
        String band;

        @Option(names = "--normalization", defaultValue = "PER_LEAD_Z_SCORE",
                description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
        org.kmerl.model.data.preprocess.Normalization normalization;

        @Option(names = "--low-rate", description = "PTB-XL: read the 100 Hz records instead of the 500 Hz ones")
        boolean lowRate;

        @Option(names = "--threads", defaultValue = "2", description = "worker threads (default: ${DEFAULT-VALUE})")
        int threads;

        @Option(names = "--dx-mapping", paramLabel = "DIR", description = "Challenge records: the SNOMED-CT mapping tables")
        Path dxMapping;

        @Override
        public Integer call() throws IOException {
            String[] corners = band.split(",");
            if (corners.length != 2) {
                throw new IllegalArgumentException("--band takes LOW,HIGH in Hz (0 = open), got '" + band + "'");
            }
            org.kmerl.model.data.preprocess.Preprocessor p = org.kmerl.model.data.preprocess.Preprocessor.builder()
                    .leads(org.kmerl.model.data.Lead.parseList(leads)).rate(rate)
                    .bandPass(Double.parseDouble(corners[0].strip()), Double.parseDouble(corners[1].strip()))
                    .length(length, org.kmerl.model.data.preprocess.Crop.START).normalization(normalization).build();
            org.kmerl.model.data.cache.RecordSource source = org.kmerl.model.data.cache.Sources.open(dataset, !lowRate,
                    dxMapping == null ? null : DxMapping.load(dxMapping));
            PrintWriter out = spec.commandLine().getOut();
            out.println("source   " + source.describe());
            out.println("prepare  " + p);
            org.kmerl.model.data.cache.SampleCache.BuildReport report;
            long start = System.nanoTime();
            java.util.List<String> log = new java.util.ArrayList<>();
            try (Progress progress = new Progress("cache", source.entries().size(), "rec")) {
                report = org.kmerl.model.data.cache.SampleCache.build(source, p, output, threads, progress::done, log::add);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf(Locale.ROOT, "cached   %d records in %.1f s (%.1f records/s), %d already there, %d failed -> %s%n",
                    report.written(), seconds, report.written() / Math.max(seconds, 1e-9), report.skipped(),
                    report.failures().size(), output);
            report.failures().stream().limit(10).forEach(f -> out.println("  skipped " + f));
            if (report.failures().size() > 10) {
                out.println("  ... and " + (report.failures().size() - 10) + " more");
            }
            return report.failures().isEmpty() ? 0 : 3;
        }
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
