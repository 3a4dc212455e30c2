package org.kmerl.model.data.synth;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.kmerl.model.data.EcgRecord;
import org.kmerl.model.data.Lead;

/**
 * A physiological 12-lead ECG generator in the spirit of ECGSYN (McSharry et al., IEEE TBME 2003):
 * every beat is a sum of Gaussian waves (P, Q, R, S, T) at phases relative to the R peak, timed by an
 * RR series with heart-rate variability (0.1 Hz Mayer and 0.25 Hz respiratory components), with the
 * T wave's position and width scaled by sqrt(RR) as the QT interval is. Each wave is an electrical
 * dipole with a direction in 3-D (x to the patient's left, y inferior, z anterior); a lead records the
 * dipole's projection on its lead vector (limb leads in the frontal plane at the Einthoven / Goldberger
 * angles, so III = II - I holds; chest leads in the horizontal plane from V1, right-anterior, to V6,
 * left-lateral). Conditions change the waves the way they change real ECGs (see {@link Condition}),
 * and baseline wander, muscle noise and power-line interference are added per lead.
 *
 * <p>Everything is a pure function of (seed, index): the same arguments give the same record.
 */
public final class SyntheticEcg {
    /** Generated record, its ground-truth findings, and the report text. */
    public record Sample(EcgRecord record, Set<Condition> conditions) {
    }

    private static final double[][] LIMB = {
        {1, 0, 0}, {0.5, 0.866, 0}, {-0.5, 0.866, 0}, {-0.75, -0.433, 0}, {0.75, -0.433, 0}, {0, 0.866, 0},
    };
    /** Chest leads: angle in the horizontal plane from the left (x) towards anterior (z), and gain. */
    private static final double[][] CHEST = {{115, 1.0}, {94, 1.6}, {75, 1.6}, {58, 1.4}, {30, 1.2}, {0, 1.0}};

    private final double rate;
    private final double seconds;
    private final boolean noise;

    public SyntheticEcg(double rate, double seconds, boolean noise) {
        if (!(rate >= 100) || !(seconds > 0)) {
            throw new IllegalArgumentException("synthetic ECGs need a rate >= 100 Hz and a positive length, got " + rate
                    + " Hz, " + seconds + " s");
        }
        this.rate = rate;
        this.seconds = seconds;
        this.noise = noise;
    }

    /** The default: 500 Hz, 10 s, with noise (MIMIC-IV-ECG's format). */
    public static SyntheticEcg standard() {
        return new SyntheticEcg(500, 10, true);
    }

    /** Record {@code index} of the stream {@code seed}, with findings drawn at random. */
    public Sample generate(long seed, int index) {
        SplittableRandom rng = new SplittableRandom(mix(seed, index));
        return generate(drawConditions(rng), rng, "syn_" + seed + "_" + index);
    }

    /**
     * A record with exactly {@code conditions} (for tests and for plotting a chosen finding), the same in
     * every run: the stream is keyed by the set's bit mask of ordinals (an enum's hashCode is an identity
     * hash, different in every JVM).
     */
    public Sample generate(Set<Condition> conditions, long seed) {
        long mask = conditions.stream().mapToLong(c -> 1L << c.ordinal()).sum();
        return generate(EnumSet.copyOf(conditions), new SplittableRandom(mix(seed, mask)),
                "syn_" + String.join("_", conditions.stream().map(Condition::code).toList()));
    }

    private static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        return z ^ (z >>> 27);
    }

    /** About a third normal; else a rhythm and one or two findings that can coexist. */
    static Set<Condition> drawConditions(SplittableRandom rng) {
        Set<Condition> c = EnumSet.noneOf(Condition.class);
        if (rng.nextDouble() < 0.3) {
            c.add(Condition.NORMAL);
            return c;
        }
        double r = rng.nextDouble();
        Condition rhythm = r < 0.08 ? Condition.SINUS_BRADYCARDIA : r < 0.16 ? Condition.SINUS_TACHYCARDIA
                : r < 0.30 ? Condition.ATRIAL_FIBRILLATION : r < 0.36 ? Condition.ATRIAL_FLUTTER : null;
        if (rhythm != null) {
            c.add(rhythm);
        }
        List<Condition> findings = List.of(Condition.FIRST_DEGREE_AV_BLOCK, Condition.LBBB, Condition.RBBB, Condition.LVH,
                Condition.ST_ELEVATION, Condition.ST_DEPRESSION, Condition.T_INVERSION, Condition.PVC,
                Condition.LOW_VOLTAGE, Condition.LONG_QT, Condition.INFERIOR_MI, Condition.ANTERIOR_MI, Condition.LATERAL_MI);
        int wanted = (rhythm == null ? 1 : 0) + rng.nextInt(2);
        for (int tries = 0; c.size() < (rhythm == null ? 0 : 1) + Math.max(1, wanted) && tries < 20; tries++) {
            Condition f = findings.get(rng.nextInt(findings.size()));
            if (compatible(c, f)) {
                c.add(f);
            }
        }
        return c;
    }

    private static boolean compatible(Set<Condition> c, Condition f) {
        boolean atrialChaos = c.contains(Condition.ATRIAL_FIBRILLATION) || c.contains(Condition.ATRIAL_FLUTTER);
        return switch (f) {
            case FIRST_DEGREE_AV_BLOCK -> !atrialChaos;
            case LBBB -> !c.contains(Condition.RBBB) && !c.contains(Condition.LVH);
            case RBBB -> !c.contains(Condition.LBBB);
            case LVH -> !c.contains(Condition.LOW_VOLTAGE) && !c.contains(Condition.LBBB);
            case LOW_VOLTAGE -> !c.contains(Condition.LVH);
            case ST_ELEVATION -> !c.contains(Condition.ST_DEPRESSION);
            case ST_DEPRESSION -> !c.contains(Condition.ST_ELEVATION);
            default -> true;
        };
    }

    /** One wave of a beat: a Gaussian at {@code phase} s from the R peak along dipole direction {@code dir}. */
    private record Wave(double phase, double width, double amplitude, double[] dir) {
    }

    private Sample generate(Set<Condition> c, SplittableRandom rng, String id) {
        int n = (int) Math.round(rate * seconds);
        double[][] dipole = new double[3][n];
        double meanRr = 60.0 / heartRate(c, rng);
        List<double[]> beats = beats(c, rng, meanRr);   // {R time, RR, premature flag}
        for (double[] beat : beats) {
            for (Wave w : waves(c, beat[1], beat[2] > 0)) {
                addGaussian(dipole, w, beat[0]);
            }
        }
        if (c.contains(Condition.ATRIAL_FIBRILLATION)) {
            fibrillation(dipole, rng);
        }
        if (c.contains(Condition.ATRIAL_FLUTTER)) {
            flutter(dipole, 60.0 / (meanRr / flutterRatio(c)));
        }
        float[][] leads = project(dipole, c.contains(Condition.LOW_VOLTAGE) ? 0.35 : 1.0);
        if (noise) {
            addNoise(leads, rng);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("heart_rate", String.format(java.util.Locale.ROOT, "%.0f", 60.0 / meanRr));
        meta.put("generator", "kmerl ECGSYN-style dipole model");
        Set<String> labels = new LinkedHashSet<>();
        if (isSinus(c) && !c.contains(Condition.SINUS_BRADYCARDIA) && !c.contains(Condition.SINUS_TACHYCARDIA)) {
            labels.add("SR");   // as PTB-XL: SR is sinus rhythm at a normal rate; SBRAD and STACH stand alone
        }
        c.forEach(x -> labels.add(x.code()));
        String report = Reports.write(c, 60.0 / meanRr, rng);
        EcgRecord record = new EcgRecord(id, rate, List.of(Lead.values()), leads, report, labels, meta);
        return new Sample(record, Set.copyOf(c));
    }

    static boolean isSinus(Set<Condition> c) {
        return !c.contains(Condition.ATRIAL_FIBRILLATION) && !c.contains(Condition.ATRIAL_FLUTTER);
    }

    private static double heartRate(Set<Condition> c, SplittableRandom rng) {
        if (c.contains(Condition.SINUS_BRADYCARDIA)) {
            return 42 + 14 * rng.nextDouble();
        }
        if (c.contains(Condition.SINUS_TACHYCARDIA)) {
            return 105 + 30 * rng.nextDouble();
        }
        if (c.contains(Condition.ATRIAL_FIBRILLATION)) {
            return 70 + 50 * rng.nextDouble();
        }
        if (c.contains(Condition.ATRIAL_FLUTTER)) {
            return 300.0 / flutterRatio(c);
        }
        return 60 + 35 * rng.nextDouble();
    }

    /** Atrial flutter conducted 2:1 (a ventricular rate of 150), unless a slower ratio is wanted. */
    private static int flutterRatio(Set<Condition> c) {
        return c.contains(Condition.SINUS_BRADYCARDIA) ? 4 : 2;
    }

    /** R-peak times with RR intervals: sinus with HRV, AF irregular, flutter regular; PVCs early with a pause. */
    private List<double[]> beats(Set<Condition> c, SplittableRandom rng, double meanRr) {
        List<double[]> out = new ArrayList<>();
        double phi1 = 2 * Math.PI * rng.nextDouble();
        double phi2 = 2 * Math.PI * rng.nextDouble();
        double t = -meanRr * rng.nextDouble();   // the strip starts at a random point of the cycle
        boolean pausePending = false;
        int pvcs = 0;
        while (t < seconds + meanRr) {
            double rr;
            boolean premature = false;
            if (c.contains(Condition.ATRIAL_FIBRILLATION)) {
                rr = meanRr * (0.6 + 0.8 * rng.nextDouble());
            } else if (c.contains(Condition.ATRIAL_FLUTTER)) {
                rr = meanRr;
            } else {
                rr = meanRr * (1 + 0.03 * Math.sin(2 * Math.PI * 0.1 * t + phi1) + 0.02 * Math.sin(2 * Math.PI * 0.25 * t + phi2)
                        + 0.01 * gaussian(rng));
            }
            if (pausePending) {
                rr = 2 * meanRr - out.get(out.size() - 1)[1];   // the compensatory pause after a PVC
                pausePending = false;
            } else if (c.contains(Condition.PVC) && out.size() > 1 && (rng.nextDouble() < 0.18
                    || (pvcs == 0 && t > 0.4 * seconds))) {   // at least one ectopic beat in the strip
                rr = 0.6 * meanRr;
                premature = true;
                pausePending = true;
                pvcs++;
            }
            t += rr;
            out.add(new double[] {t, rr, premature ? 1 : 0});
        }
        return out;
    }

    private static double[] unit(double x, double y, double z) {
        double n = Math.sqrt(x * x + y * y + z * z);
        return new double[] {x / n, y / n, z / n};
    }

    /** The waves of one beat with RR interval {@code rr}. */
    private static List<Wave> waves(Set<Condition> c, double rr, boolean premature) {
        List<Wave> w = new ArrayList<>();
        double qt = Math.sqrt(rr);   // Bazett: QT grows with sqrt(RR)
        double r = c.contains(Condition.LVH) ? 2.2 : 1.0;
        if (premature) {   // a ventricular beat: no P, a wide bizarre QRS, a discordant T
            w.add(new Wave(0, 0.045, 1.6, unit(-0.4, 0.7, 0.6)));
            w.add(new Wave(0.08, 0.04, -0.6, unit(0.6, 0.3, -0.5)));
            w.add(new Wave(0.36 * qt, 0.09 * qt, -0.45, unit(-0.4, 0.7, 0.6)));
            return w;
        }
        if (isSinus(c)) {
            double pr = c.contains(Condition.FIRST_DEGREE_AV_BLOCK) ? 0.30 : 0.16;
            w.add(new Wave(-pr, 0.025, 0.15, unit(0.6, 0.75, 0.25)));
        }
        boolean lbbb = c.contains(Condition.LBBB);
        boolean rbbb = c.contains(Condition.RBBB);
        double qrsWidth = lbbb ? 2.6 : 1.0;
        if (!lbbb) {   // septal q (left to right): absent in LBBB
            w.add(new Wave(-0.03, 0.010, 0.18, unit(-0.5, -0.2, 0.6)));
        }
        double[] rDir = lbbb ? unit(0.8, 0.15, -0.6) : unit(0.7, 0.6, -0.3);
        w.add(new Wave(lbbb ? 0.01 : 0, 0.012 * qrsWidth, 1.2 * r, rDir));
        w.add(new Wave(0.03 * qrsWidth, 0.012 * qrsWidth, 0.35 * r, unit(-0.4, -0.5, -0.4)));
        if (rbbb) {   // late rightward-anterior activation: R' in V1, wide S in I and V6
            w.add(new Wave(0.075, 0.022, 0.7, unit(-0.55, 0.05, 0.85)));
        }
        for (Condition mi : List.of(Condition.INFERIOR_MI, Condition.ANTERIOR_MI, Condition.LATERAL_MI)) {
            if (c.contains(mi)) {   // a pathological Q: an initial vector pointing away from the dead territory
                double[] away = mi == Condition.INFERIOR_MI ? unit(0, -1, 0) : mi == Condition.ANTERIOR_MI ? unit(0, 0, -1)
                        : unit(-1, 0, 0);
                w.add(new Wave(-0.035, 0.016, 0.45, away));
            }
        }
        double tPhase = (0.30 + (c.contains(Condition.LONG_QT) ? 0.14 : 0)) * qt;
        double[] tDir = unit(0.6, 0.6, 0.25);
        double tAmp = 0.3 * r;
        if (lbbb || rbbb) {   // secondary repolarisation change: T opposite to the late QRS
            tDir = lbbb ? unit(-0.8, -0.15, 0.6) : unit(0.5, 0.3, -0.8);
            tAmp = 0.25;
        }
        if (c.contains(Condition.T_INVERSION)) {
            tAmp = -tAmp;
        }
        w.add(new Wave(tPhase, 0.06 * qt, tAmp, tDir));
        if (c.contains(Condition.ST_ELEVATION)) {   // anterior injury current: raised ST in V1-V4
            w.add(new Wave(0.13 * qt, 0.055 * qt, 0.25, unit(0, -0.1, 1)));
        }
        if (c.contains(Condition.ST_DEPRESSION)) {   // lateral subendocardial ischaemia: depressed ST in I, II, V4-V6
            w.add(new Wave(0.13 * qt, 0.055 * qt, -0.18, unit(0.8, 0.5, 0.1)));
        }
        return w;
    }

    private void addGaussian(double[][] dipole, Wave w, double rTime) {
        double centre = rTime + w.phase;
        int from = Math.max(0, (int) Math.floor((centre - 5 * w.width) * rate));
        int to = Math.min(dipole[0].length - 1, (int) Math.ceil((centre + 5 * w.width) * rate));
        for (int i = from; i <= to; i++) {
            double d = (i / rate - centre) / w.width;
            double g = w.amplitude * Math.exp(-0.5 * d * d);
            for (int k = 0; k < 3; k++) {
                dipole[k][i] += g * w.dir[k];
            }
        }
    }

    /** Fibrillatory waves: three 4-8 Hz components with slowly drifting amplitude, strongest in V1 and II. */
    private void fibrillation(double[][] dipole, SplittableRandom rng) {
        double[] dir = unit(0.3, 0.6, 0.75);
        double[][] comps = new double[3][3];
        for (double[] comp : comps) {
            comp[0] = 4 + 4 * rng.nextDouble();
            comp[1] = 2 * Math.PI * rng.nextDouble();
            comp[2] = 0.2 + 0.4 * rng.nextDouble();   // amplitude modulation rate (Hz)
        }
        for (int i = 0; i < dipole[0].length; i++) {
            double t = i / rate;
            double f = 0;
            for (double[] comp : comps) {
                f += 0.025 * (1 + 0.5 * Math.sin(2 * Math.PI * comp[2] * t)) * Math.sin(2 * Math.PI * comp[0] * t + comp[1]);
            }
            for (int k = 0; k < 3; k++) {
                dipole[k][i] += f * dir[k];
            }
        }
    }

    /** Flutter waves: a sawtooth at the atrial rate, along the inferior axis (II, III, aVF). */
    private void flutter(double[][] dipole, double atrialRate) {
        double[] dir = unit(0.1, 0.95, 0.3);
        double fa = atrialRate / 60;
        for (int i = 0; i < dipole[0].length; i++) {
            double phase = (i / rate * fa) % 1.0;
            double saw = phase < 0.8 ? 0.8 - phase * 1.25 : (phase - 0.8) * 5 - 0.2;   // slow descent, quick rise
            for (int k = 0; k < 3; k++) {
                dipole[k][i] += 0.15 * saw * dir[k];
            }
        }
    }

    private float[][] project(double[][] dipole, double scale) {
        int n = dipole[0].length;
        float[][] out = new float[12][n];
        for (int l = 0; l < 12; l++) {
            double[] v;
            if (l < 6) {
                v = LIMB[l];
            } else {
                double a = Math.toRadians(CHEST[l - 6][0]);
                double gain = CHEST[l - 6][1];
                v = new double[] {gain * Math.cos(a), gain * 0.1, gain * Math.sin(a)};
            }
            for (int i = 0; i < n; i++) {
                out[l][i] = (float) (scale * (v[0] * dipole[0][i] + v[1] * dipole[1][i] + v[2] * dipole[2][i]));
            }
        }
        return out;
    }

    /** Baseline wander (0.1-0.4 Hz), muscle noise (smoothed white noise) and 50 or 60 Hz mains, per lead. */
    private void addNoise(float[][] leads, SplittableRandom rng) {
        double mains = rng.nextBoolean() ? 50 : 60;
        double mainsAmp = 0.004 + 0.008 * rng.nextDouble();
        double wanderAmp = 0.03 + 0.12 * rng.nextDouble();
        double muscleAmp = 0.005 + 0.015 * rng.nextDouble();
        for (float[] lead : leads) {
            double f1 = 0.1 + 0.15 * rng.nextDouble();
            double f2 = 0.25 + 0.15 * rng.nextDouble();
            double p1 = 2 * Math.PI * rng.nextDouble();
            double p2 = 2 * Math.PI * rng.nextDouble();
            double pm = 2 * Math.PI * rng.nextDouble();
            double smooth = 0;
            for (int i = 0; i < lead.length; i++) {
                double t = i / rate;
                smooth = 0.7 * smooth + 0.3 * gaussian(rng);
                lead[i] += (float) (wanderAmp * (Math.sin(2 * Math.PI * f1 * t + p1) + 0.5 * Math.sin(2 * Math.PI * f2 * t + p2))
                        + muscleAmp * smooth + mainsAmp * Math.sin(2 * Math.PI * mains * t + pm));
            }
        }
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = 1 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
}
