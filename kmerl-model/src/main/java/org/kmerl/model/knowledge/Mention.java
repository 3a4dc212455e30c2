package org.kmerl.model.knowledge;

/** One entity found in a report: where (clause, token span), what, and whether it is asserted. */
public record Mention(String entity, int clause, int start, int end, Certainty certainty) {
    /** Asserted, negated ("no st elevation", "kein ..."), or hedged ("possible", "verdacht auf", "möglich"). */
    public enum Certainty { ASSERTED, NEGATED, UNCERTAIN }
}
