package org.kmerl.model.data.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * English machine-style reports for synthetic ECGs: a rhythm statement, one phrase per finding chosen
 * from several clinical phrasings, sometimes the rate, and sometimes negations of what is absent
 * ("no st elevation"), as real reports have. Deterministic given the random stream.
 */
final class Reports {
    private Reports() {
    }

    static String write(Set<Condition> c, double heartRate, SplittableRandom rng) {
        List<String> parts = new ArrayList<>();
        if (SyntheticEcg.isSinus(c) && !c.contains(Condition.SINUS_BRADYCARDIA) && !c.contains(Condition.SINUS_TACHYCARDIA)) {
            parts.add(pick(List.of("sinus rhythm", "normal sinus rhythm", "sinus rhythm, rate normal"), rng));
        }
        for (Condition x : c) {
            if (x != Condition.NORMAL) {
                parts.add(pick(x.phrases(), rng));
            }
        }
        if (rng.nextDouble() < 0.3) {
            parts.add(String.format(java.util.Locale.ROOT, "ventricular rate %d bpm", Math.round(heartRate)));
        }
        if (!c.contains(Condition.ST_ELEVATION) && rng.nextDouble() < 0.35) {
            parts.add(pick(List.of("no st elevation", "no acute st elevation", "without st segment elevation"), rng));
        }
        if (c.stream().noneMatch(x -> x.code().endsWith("MI")) && rng.nextDouble() < 0.2) {
            parts.add(pick(List.of("no evidence of infarction", "no q waves"), rng));
        }
        if (c.contains(Condition.NORMAL)) {
            parts.add(pick(Condition.NORMAL.phrases(), rng));
        }
        return String.join(". ", parts) + ".";
    }

    private static String pick(List<String> options, SplittableRandom rng) {
        return options.get(rng.nextInt(options.size()));
    }
}
