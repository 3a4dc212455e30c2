package org.kmerl.model.pretrain;

import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.kmerl.model.data.EcgRecord;
import org.kmerl.model.data.Lead;
import org.kmerl.model.ecg.EncoderInput;
import org.kmerl.model.data.preprocess.Preprocessor;
import org.kmerl.model.data.synth.SyntheticEcg;

/** Preprocessed records held in memory (synthetic data, tests). */
public final class InMemoryData implements PretrainData {
    private final String description;
    private final List<EcgRecord> records;
    private final int length;
    private final double rate;

    public InMemoryData(String description, List<EcgRecord> records) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException(description + ": no records");
        }
        this.description = description;
        this.records = List.copyOf(records);
        this.length = records.get(0).numSamples();
        this.rate = records.get(0).samplingRate();
        for (EcgRecord r : records) {
            if (r.numSamples() != length || r.samplingRate() != rate) {
                throw new IllegalArgumentException(description + ": record " + r.id() + " has " + r.numSamples()
                        + " samples at " + r.samplingRate() + " Hz, the first has " + length + " at " + rate);
            }
        }
    }

    /**
     * {@code count} synthetic records of the stream {@code seed}, generated in parallel at the
     * preprocessor's rate and preprocessed by it (a pure function of seed and index).
     */
    public static InMemoryData synthetic(int count, long seed, Preprocessor preprocessor, IntConsumer progress) {
        SyntheticEcg generator = new SyntheticEcg(Math.max(100, preprocessor.rate()), 10, true);
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        List<EcgRecord> records = IntStream.range(0, count).parallel().mapToObj(i -> {
            SyntheticEcg.Sample s = generator.generate(seed, i);
            EcgRecord r = preprocessor.apply(s.record(), seed * 31 + i);
            int n = done.incrementAndGet();
            if (progress != null && (n % 64 == 0 || n == count)) {
                synchronized (done) {
                    progress.accept(n);
                }
            }
            return r;
        }).toList();
        return new InMemoryData("synthetic: " + count + " records of stream " + seed, records);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public int size() {
        return records.size();
    }

    @Override
    public String id(int i) {
        return records.get(i).id();
    }

    @Override
    public String report(int i) {
        return records.get(i).report();
    }

    @Override
    public Set<String> labels(int i) {
        return records.get(i).labels();
    }

    @Override
    public List<Lead> leads(int i) {
        return records.get(i).standardOrder().leads();
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public double rate() {
        return rate;
    }

    @Override
    public void read(int i, float[] out, int offset) {
        EcgRecord r = records.get(i);
        EncoderInput.place(r.leads(), r.signals(), length, out, offset);
    }
}
