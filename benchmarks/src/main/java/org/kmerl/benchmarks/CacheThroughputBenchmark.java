package org.kmerl.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.kmerl.model.data.cache.RecordSource;
import org.kmerl.model.data.cache.SampleCache;
import org.kmerl.model.data.cache.Sources;
import org.kmerl.model.data.preprocess.Crop;
import org.kmerl.model.data.preprocess.Normalization;
import org.kmerl.model.data.preprocess.Preprocessor;
import org.kmerl.model.data.synth.SyntheticDataset;
import org.kmerl.model.data.synth.SyntheticEcg;

/**
 * Reading + preprocessing throughput: 500 Hz 12-lead WFDB records -> cached 100 Hz tensors (0.5 Hz
 * high-pass, polyphase resampling, per-lead z-score, int16), with N threads; then reading the cache back.
 * Source: the PTB-XL records in ../shared/data (400 at 500 Hz), or 400 synthetic ones when it is absent.
 * Each build runs twice into fresh folders; the second (warm JIT) is reported.
 *
 * <p>Usage: {@code CacheThroughputBenchmark [threads] [dataset-dir]}
 */
public final class CacheThroughputBenchmark {
    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        Path work = Files.createTempDirectory("kmerl-cache-bench");
        Path dataset = args.length > 1 ? Path.of(args[1]) : Path.of("../shared/data/ptbxl");
        if (!Files.exists(dataset.resolve("ptbxl_database.csv")) && args.length < 2) {
            dataset = work.resolve("synthetic");
            SyntheticDataset.write(dataset, 400, 1, SyntheticEcg.standard(), null);
        }
        RecordSource source = Sources.open(dataset, true, null);
        Preprocessor p = Preprocessor.builder().rate(100).bandPass(0.5, 0).length(1000, Crop.START)
                .normalization(Normalization.PER_LEAD_Z_SCORE).build();
        System.out.println("source: " + source.describe());
        System.out.println("prepare: " + p + "; threads " + threads + "; " + Runtime.version());
        double rate = 0;
        for (int round = 0; round < 2; round++) {
            Path dir = work.resolve("cache" + round);
            long start = System.nanoTime();
            SampleCache.BuildReport r = SampleCache.build(source, p, dir, threads, null, null);
            double s = (System.nanoTime() - start) / 1e9;
            rate = r.written() / s;
            System.out.printf("build %d: %d records in %.2f s = %.1f records/s%s%n", round + 1, r.written(), s, rate,
                    round == 0 ? " (cold JIT)" : "");
        }
        int n = source.entries().size();
        System.out.printf("=> %.1f records/s, %.1f MB/s of 500 Hz int16 input (%d records of 12 x 5000)%n", rate,
                rate * 2 * 12 * 5000 / 1e6, n);
        try (SampleCache cache = SampleCache.open(work.resolve("cache1"))) {
            float[][] buffer = new float[12][1000];
            for (int warm = 0; warm < 3; warm++) {
                for (int i = 0; i < cache.size(); i++) {
                    cache.get(i, buffer);
                }
            }
            int reads = 20 * cache.size();
            long start = System.nanoTime();
            for (int k = 0; k < reads; k++) {
                cache.get(k % cache.size(), buffer);
            }
            double s = (System.nanoTime() - start) / 1e9;
            System.out.printf("cache reads: %.0f records/s (one thread, memory-mapped, already in the page cache)%n",
                    reads / s);
        }
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
