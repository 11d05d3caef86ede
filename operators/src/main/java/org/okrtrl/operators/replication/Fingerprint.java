package org.okrtrl.operators.replication;

import java.util.ArrayList;
import java.util.List;

/**
 * The identity of a shared model: {@code modelId|cell|m=..|n=..|o=..|link|seed=..}. It names what
 * a model's parameters mean (its id, shape and the seed its initial draw came from) and nothing
 * a restore may change: the learning rule (algorithm, optimiser, rate, batch, clipping) is not in
 * it, so updates published before such a change still apply after it.
 *
 * <p>Fingerprints written by earlier versions carry the algorithm as their second field
 * ({@code modelId|ok:8|rhn|...}); {@link #canonical} drops it, so both forms of one model are
 * equal under {@link #sameModel}. Model ids contain no '|', so the two forms are told apart by
 * their field count.
 */
public final class Fingerprint {
    private static final int FIELDS = 7;
    private static final String[] SETTINGS = {
        "--model-id", "--cell", "inputs (the vocabulary size or --real-inputs)", "--hidden",
        "outputs (the vocabulary size or --real-outputs)", "the readout (symbols or real values)", "--seed"
    };

    private Fingerprint() {}

    /** The fingerprint of a model with this id, cell, sizes, readout link and seed. */
    public static String of(String modelId, String cell, int inputs, int hidden, int outputs, String link, long seed) {
        return modelId + "|" + cell + "|m=" + inputs + "|n=" + hidden + "|o=" + outputs + "|" + link + "|seed=" + seed;
    }

    /** The fingerprint in the current form (an earlier form's algorithm field dropped). */
    public static String canonical(String fingerprint) {
        String[] parts = fingerprint.split("\\|", -1);
        if (parts.length != FIELDS + 1) {
            return fingerprint;
        }
        List<String> kept = new ArrayList<>(List.of(parts));
        kept.remove(1);
        return String.join("|", kept);
    }

    /** Whether a and b name the same model (either form). */
    public static boolean sameModel(String a, String b) {
        return canonical(a).equals(canonical(b));
    }

    /**
     * What differs between a stored model and the configured one, naming the settings
     * ("--hidden: stored 32, configured 64"); the whole fingerprints if they do not parse.
     */
    public static String difference(String stored, String configured) {
        String[] s = canonical(stored).split("\\|", -1);
        String[] c = canonical(configured).split("\\|", -1);
        if (s.length != FIELDS || c.length != FIELDS) {
            return "stored model " + stored + ", configured " + configured;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < FIELDS; i++) {
            if (!s[i].equals(c[i])) {
                out.add(SETTINGS[i] + ": stored " + value(s[i]) + ", configured " + value(c[i]));
            }
        }
        return out.isEmpty() ? "none" : String.join("; ", out);
    }

    private static String value(String field) {
        int eq = field.indexOf('=');
        return eq >= 0 && eq < 5 ? field.substring(eq + 1) : field;
    }
}
