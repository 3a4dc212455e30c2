package org.kmerl.kernels.ops;

import org.kmerl.tensor.backend.BinaryOp;
import org.kmerl.tensor.backend.ReduceOp;
import org.kmerl.tensor.backend.UnaryOp;

/** The op codes of kmerl_common.cuh; spelled out so that reordering a Java enum cannot shift them. */
final class OpCodes {
    private OpCodes() {
    }

    static int of(UnaryOp op) {
        return switch (op) {
            case NEG -> 0;
            case EXP -> 1;
            case LOG -> 2;
            case SQRT -> 3;
            case RSQRT -> 4;
            case RECIPROCAL -> 5;
            case SQUARE -> 6;
            case ABS -> 7;
            case TANH -> 8;
            case SIGMOID -> 9;
            case RELU -> 10;
            case GELU -> 11;
        };
    }

    static int of(BinaryOp op) {
        return switch (op) {
            case ADD -> 0;
            case SUB -> 1;
            case MUL -> 2;
            case DIV -> 3;
            case POW -> 4;
            case MAXIMUM -> 5;
            case MINIMUM -> 6;
            case EQ -> 7;
            case NE -> 8;
            case LT -> 9;
            case LE -> 10;
            case GT -> 11;
            case GE -> 12;
        };
    }

    static int of(ReduceOp op) {
        return switch (op) {
            case SUM -> 0;
            case MAX -> 1;
            case MIN -> 2;
        };
    }
}
