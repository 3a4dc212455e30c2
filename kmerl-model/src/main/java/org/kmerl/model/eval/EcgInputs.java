package org.kmerl.model.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.kmerl.model.data.EcgFiles;
import org.kmerl.model.data.EcgRecord;
import org.kmerl.model.data.Lead;
import org.kmerl.model.data.preprocess.Preprocessor;
import org.kmerl.model.ecg.EcgEncoderConfig;
import org.kmerl.model.ecg.EncoderInput;

/**
 * A dataset's records read once and preprocessed for an encoder ({@link EncoderInput}), held as
 * [12][samples] per record in standard lead order (zeros where a record lacks a lead), with the leads
 * each record has. Every lead view and every task is then scored from memory.
 */
public final class EcgInputs {
    private final float[][] signals;
    private final List<List<Lead>> leads;
    private final int samples;

    private EcgInputs(float[][] signals, List<List<Lead>> leads, int samples) {
        this.signals = signals;
        this.leads = leads;
        this.samples = samples;
    }

    /** Inputs already in memory: [records][12 * samples] in standard lead order and each record's leads. */
    static EcgInputs of(float[][] signals, List<List<Lead>> leads, int samples) {
        return new EcgInputs(signals, List.copyOf(leads), samples);
    }

    /** Reads and preprocesses every record of {@code dataset} on all cores; {@code progress} gets the count done. */
    public static EcgInputs load(EvalDataset dataset, EcgEncoderConfig encoder, IntConsumer progress) {
        int n = dataset.records().size();
        int length = encoder.samples();
        float[][] signals = new float[n][];
        List<List<Lead>> leads = new ArrayList<>(java.util.Collections.nCopies(n, List.<Lead>of()));
        Map<List<Lead>, Preprocessor> preprocessors = new ConcurrentHashMap<>();
        AtomicInteger done = new AtomicInteger();
        IntStream.range(0, n).parallel().forEach(i -> {
            EvalRecord r = dataset.records().get(i);
            EcgRecord raw;
            try {
                raw = EcgFiles.waveform(r.path(), r.id()).standardOrder();
            } catch (IOException e) {
                throw new UncheckedIOException("record " + r.id() + " (" + r.path() + "): " + e.getMessage(), e);
            }
            EcgRecord x = preprocessors.computeIfAbsent(raw.leads(), l -> EncoderInput.preprocessor(encoder, l)).apply(raw, 0);
            float[] row = new float[12 * length];
            EncoderInput.place(x.leads(), x.signals(), length, row, 0);
            signals[i] = row;
            synchronized (leads) {
                leads.set(i, x.leads());
            }
            int d = done.incrementAndGet();
            if (progress != null && (d % 16 == 0 || d == n)) {
                synchronized (done) {
                    progress.accept(d);
                }
            }
        });
        return new EcgInputs(signals, leads, length);
    }

    public int size() {
        return signals.length;
    }

    public int samples() {
        return samples;
    }

    /** [12 * samples] of record {@code i} (not a copy). */
    float[] signal(int i) {
        return signals[i];
    }

    public List<Lead> leads(int i) {
        return leads.get(i);
    }
}
