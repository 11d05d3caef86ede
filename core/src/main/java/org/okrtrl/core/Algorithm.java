package org.okrtrl.core;

import java.io.Serializable;

/**
 * A learning algorithm as users name it: {@code rtrl}, {@code ok:R} (r-OK with R >= 1 terms),
 * {@code kf} (KF-RTRL), {@code uoro}, or {@code tbptt:T} (truncated BPTT with horizon T).
 *
 * @param kind which algorithm
 * @param parameter R for OK, T for TBPTT, 0 otherwise
 */
public record Algorithm(Kind kind, int parameter) implements Serializable {
    /** The algorithm families. */
    public enum Kind {
        RTRL("rtrl", false),
        OK("ok", true),
        KF("kf", false),
        UORO("uoro", false),
        TBPTT("tbptt", true);

        private final String prefix;
        private final boolean parameterised;

        Kind(String prefix, boolean parameterised) {
            this.prefix = prefix;
            this.parameterised = parameterised;
        }
    }

    private static final String EXPECTED = "expected rtrl, ok:R, kf, uoro or tbptt:T";

    public Algorithm {
        if (kind.parameterised ? parameter < 1 : parameter != 0) {
            throw new IllegalArgumentException("algorithm " + kind.prefix + (kind.parameterised
                    ? " needs a positive integer after '" + kind.prefix + ":'" : " takes no parameter"));
        }
    }

    /** Parses a name; IllegalArgumentException naming it and the expected forms otherwise. */
    public static Algorithm parse(String name) {
        int colon = name.indexOf(':');
        String prefix = colon < 0 ? name : name.substring(0, colon);
        for (Kind kind : Kind.values()) {
            if (!kind.prefix.equals(prefix)) {
                continue;
            }
            if (!kind.parameterised) {
                if (colon >= 0) {
                    break;
                }
                return new Algorithm(kind, 0);
            }
            try {
                int value = colon < 0 ? 0 : Integer.parseInt(name.substring(colon + 1));
                if (value >= 1) {
                    return new Algorithm(kind, value);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("algorithm '" + name + "' needs a positive integer after '"
                    + kind.prefix + ":'");
        }
        throw new IllegalArgumentException("unknown algorithm '" + name + "' (" + EXPECTED + ")");
    }

    /** Whether this is an influence estimator carried forward online (every algorithm but TBPTT). */
    public boolean isEstimator() {
        return kind != Kind.TBPTT;
    }

    /** The name users write, e.g. ok:8. */
    @Override
    public String toString() {
        return kind.parameterised ? kind.prefix + ":" + parameter : kind.prefix;
    }
}
