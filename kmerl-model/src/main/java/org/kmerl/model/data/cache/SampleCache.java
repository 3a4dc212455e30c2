package org.kmerl.model.data.cache;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.kmerl.model.ModelFormatException;
import org.kmerl.model.data.EcgRecord;
import org.kmerl.model.data.Lead;
import org.kmerl.model.data.preprocess.Preprocessor;

/**
 * A dataset preprocessed once into a compact file that training memory-maps, so an epoch never parses
 * WFDB again. Layout of the folder:
 * <pre>
 *   cache.properties  leads, rate, length, the preprocessing, record count, format version
 *   index.csv         row, id, report, labels (';'-separated)
 *   signals.i16       row-major [records, leads, length] int16, little-endian
 *   scale.f32         one float per record: value = int16 * scale (scale = max |x| / 32767)
 *   status.u8         one byte per record: 0 to do, 1 done, 2 failed (logged and skipped)
 * </pre>
 * Building runs on several threads and writes each record where it belongs; the status byte is set
 * after the samples, so an interrupted build resumes with the records still to do.
 */
public final class SampleCache implements AutoCloseable {
    private static final int VERSION = 1;
    private static final long SEGMENT = 1L << 30;
    public static final byte TODO = 0;
    public static final byte DONE = 1;
    public static final byte FAILED = 2;

    /** What a build did: records written now, already there, and failed (with reasons). */
    public record BuildReport(int written, int skipped, List<String> failures) {
    }

    private final Path dir;
    private final List<Lead> leads;
    private final double rate;
    private final int length;
    private final List<RecordSource.Entry> entries;
    private final byte[] status;
    private final float[] scales;
    private final List<MappedByteBuffer> segments = new ArrayList<>();
    private final int recordsPerSegment;
    private final FileChannel channel;

    private SampleCache(Path dir, List<Lead> leads, double rate, int length, List<RecordSource.Entry> entries)
            throws IOException {
        this.dir = dir;
        this.leads = leads;
        this.rate = rate;
        this.length = length;
        this.entries = entries;
        int n = entries.size();
        this.status = Files.readAllBytes(dir.resolve("status.u8"));
        ByteBuffer s = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("scale.f32"))).order(ByteOrder.LITTLE_ENDIAN);
        if (status.length != n || s.capacity() != 4 * n) {
            throw new ModelFormatException(dir.toString(), "cache files disagree on the record count (" + n + " in index.csv, "
                    + status.length + " status bytes, " + s.capacity() / 4 + " scales)");
        }
        this.scales = new float[n];
        s.asFloatBuffer().get(scales);
        long recordBytes = 2L * leads.size() * length;
        this.recordsPerSegment = (int) Math.max(1, SEGMENT / recordBytes);
        this.channel = FileChannel.open(dir.resolve("signals.i16"), StandardOpenOption.READ);
        if (channel.size() != recordBytes * n) {
            throw new ModelFormatException(dir.resolve("signals.i16").toString(), "has " + channel.size() + " bytes, "
                    + n + " records of " + leads.size() + " x " + length + " need " + recordBytes * n);
        }
        for (long first = 0; first < n; first += recordsPerSegment) {
            long count = Math.min(recordsPerSegment, n - first);
            segments.add(channel.map(FileChannel.MapMode.READ_ONLY, first * recordBytes, count * recordBytes));
        }
    }

    /** Builds (or resumes building) the cache of {@code source} in {@code dir}. */
    public static BuildReport build(RecordSource source, Preprocessor preprocessor, Path dir, int threads,
                                    IntConsumer progress, Consumer<String> log) throws IOException {
        if (preprocessor.length() <= 0) {
            throw new IllegalArgumentException("a cache needs a fixed length per record; set the preprocessor's length");
        }
        Files.createDirectories(dir);
        List<RecordSource.Entry> entries = source.entries();
        int n = entries.size();
        int leads = preprocessor.leads().size();
        int length = preprocessor.length();
        long recordBytes = 2L * leads * length;
        Properties props = properties(preprocessor, n, source.describe());
        Path propsFile = dir.resolve("cache.properties");
        if (Files.exists(propsFile)) {
            Properties old = load(propsFile);
            for (String key : List.of("version", "leads", "rate", "length", "preprocessing", "records")) {
                if (!old.getProperty(key, "").equals(props.getProperty(key))) {
                    throw new ModelFormatException(propsFile.toString(), "a cache with another " + key + " is already here ('"
                            + old.getProperty(key) + "' vs '" + props.getProperty(key) + "'); use another folder");
                }
            }
        } else {
            writeIndex(dir.resolve("index.csv"), entries);
            try (FileChannel c = FileChannel.open(dir.resolve("signals.i16"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE)) {
                c.truncate(0);
                c.write(ByteBuffer.allocate(1), recordBytes * n - 1);   // sized at once; sparse where the OS allows
            }
            Files.write(dir.resolve("status.u8"), new byte[n]);
            Files.write(dir.resolve("scale.f32"), new byte[4 * n]);
            storeAtomically(propsFile, props);
        }
        byte[] status = Files.readAllBytes(dir.resolve("status.u8"));
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger written = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        int skipped = 0;
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (status[i] == DONE) {
                skipped++;
            } else {
                todo.add(i);
            }
        }
        finished.set(skipped);
        if (progress != null) {
            progress.accept(skipped);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try (FileChannel signals = FileChannel.open(dir.resolve("signals.i16"), StandardOpenOption.WRITE);
             FileChannel scale = FileChannel.open(dir.resolve("scale.f32"), StandardOpenOption.WRITE);
             FileChannel statusFile = FileChannel.open(dir.resolve("status.u8"), StandardOpenOption.WRITE)) {
            List<Future<?>> jobs = new ArrayList<>();
            for (int i : todo) {
                jobs.add(pool.submit(() -> {
                    byte outcome;
                    try {
                        EcgRecord r = preprocessor.apply(source.read(i), i);
                        ByteBuffer b = ByteBuffer.allocate((int) recordBytes).order(ByteOrder.LITTLE_ENDIAN);
                        float s = quantize(r.signals(), b);
                        signals.write(b.flip(), i * recordBytes);
                        scale.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, s), 4L * i);
                        outcome = DONE;
                        written.incrementAndGet();
                    } catch (IOException | RuntimeException e) {
                        outcome = FAILED;
                        String why = entries.get(i).id() + ": " + e.getMessage();
                        failures.add(why);
                        if (log != null) {
                            log.accept("skipped " + why);
                        }
                    }
                    try {
                        statusFile.write(ByteBuffer.wrap(new byte[] {outcome}), i);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    int f = finished.incrementAndGet();
                    if (progress != null) {
                        progress.accept(f);
                    }
                    return null;
                }));
            }
            for (Future<?> job : jobs) {
                job.get();
            }
            signals.force(false);
            scale.force(false);
            statusFile.force(false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("cache build interrupted; run it again to resume", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("cache build failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new BuildReport(written.get(), skipped, List.copyOf(failures));
    }

    /** Writes int16 samples of all leads into {@code b}; returns the scale (max |x| / 32767). */
    private static float quantize(float[][] x, ByteBuffer b) {
        float max = 0;
        for (float[] lead : x) {
            for (float v : lead) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("a non-finite sample survived preprocessing");
                }
                max = Math.max(max, Math.abs(v));
            }
        }
        float scale = max == 0 ? 1f : max / 32767f;
        for (float[] lead : x) {
            for (float v : lead) {
                b.putShort((short) Math.round(v / scale));
            }
        }
        return scale;
    }

    public static SampleCache open(Path dir) throws IOException {
        Path propsFile = dir.resolve("cache.properties");
        if (!Files.exists(propsFile)) {
            throw new NoSuchFileException(propsFile.toString(), null, "not a kmerl sample cache (build one with kmerl data cache)");
        }
        Properties p = load(propsFile);
        if (!Integer.toString(VERSION).equals(p.getProperty("version"))) {
            throw new ModelFormatException(propsFile.toString(), "cache format version " + p.getProperty("version")
                    + ", this kmerl reads version " + VERSION);
        }
        List<Lead> leads = Lead.parseList(p.getProperty("leads"));
        return new SampleCache(dir, leads, Double.parseDouble(p.getProperty("rate")), Integer.parseInt(p.getProperty("length")),
                readIndex(dir.resolve("index.csv")));
    }

    public int size() {
        return entries.size();
    }

    public List<Lead> leads() {
        return leads;
    }

    public double rate() {
        return rate;
    }

    public int length() {
        return length;
    }

    public RecordSource.Entry entry(int i) {
        return entries.get(i);
    }

    public boolean isDone(int i) {
        return status[i] == DONE;
    }

    /** Rows that hold a record (failed and unfinished ones excluded). */
    public int[] doneRows() {
        return java.util.stream.IntStream.range(0, size()).filter(this::isDone).toArray();
    }

    /** Record {@code i} as [leads][length] floats. */
    public float[][] get(int i) {
        if (!isDone(i)) {
            throw new IllegalStateException("row " + i + " (" + entries.get(i).id() + ") holds no record: "
                    + (status[i] == FAILED ? "it failed when the cache was built" : "the build has not reached it"));
        }
        float[][] out = new float[leads.size()][length];
        get(i, out);
        return out;
    }

    /** Record {@code i} into {@code out} (no allocation: for batch loaders). */
    public void get(int i, float[][] out) {
        ByteBuffer seg = segments.get(i / recordsPerSegment).duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int pos = (int) ((long) (i % recordsPerSegment) * 2 * leads.size() * length);
        float scale = scales[i];
        for (int l = 0; l < leads.size(); l++) {
            for (int t = 0; t < length; t++) {
                out[l][t] = seg.getShort(pos) * scale;
                pos += 2;
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static Properties properties(Preprocessor p, int n, String source) {
        Properties props = new Properties();
        props.setProperty("version", Integer.toString(VERSION));
        props.setProperty("leads", String.join(",", p.leads().stream().map(Lead::label).toList()));
        props.setProperty("rate", Double.toString(p.rate()));
        props.setProperty("length", Integer.toString(p.length()));
        props.setProperty("preprocessing", p.toString());
        props.setProperty("records", Integer.toString(n));
        props.setProperty("source", source);
        props.setProperty("storage", "int16 with one float scale per record");
        return props;
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        return p;
    }

    private static void storeAtomically(Path file, Properties p) throws IOException {
        StringWriter w = new StringWriter();
        p.store(w, "kmerl sample cache");
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, w.toString());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeIndex(Path file, List<RecordSource.Entry> entries) throws IOException {
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader("row", "id", "report", "labels").get())) {
            for (int i = 0; i < entries.size(); i++) {
                RecordSource.Entry e = entries.get(i);
                p.printRecord(i, e.id(), e.report(), String.join(";", e.labels()));
            }
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, w.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<RecordSource.Entry> readIndex(Path file) throws IOException {
        List<RecordSource.Entry> out = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (CSVRecord row : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                Set<String> labels = new LinkedHashSet<>();
                for (String s : row.get("labels").split(";")) {
                    if (!s.isBlank()) {
                        labels.add(s);
                    }
                }
                out.add(new RecordSource.Entry(row.get("id"), row.get("report"), labels));
            }
        }
        return out;
    }
}
