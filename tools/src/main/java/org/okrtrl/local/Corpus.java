package org.okrtrl.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Text for the local pipeline, one stream per key. The built-in generator writes sentences from
 * a small probabilistic grammar (learnable structure, no download); a file is split into one
 * contiguous part per key.
 */
public final class Corpus {
    private static final String[] NAMES = {"anna", "ben", "carla", "dev"};
    private static final String[] VERBS = {"sees", "likes", "reads", "finds"};
    private static final String[] NOUNS = {"the red kite", "a small boat", "the old map", "two green cups"};
    private static final String[] ENDINGS = {" today.", ".", " again.", " at noon."};

    private final String text;
    private final SplittableRandom rng;
    private final boolean generated;
    private int position;
    private final StringBuilder pending = new StringBuilder();

    private Corpus(String text, SplittableRandom rng) {
        this.text = text;
        this.rng = rng;
        this.generated = text == null;
    }

    /** The built-in generator for one key, seeded by it. */
    public static Corpus generated(long seed) {
        return new Corpus(null, new SplittableRandom(seed));
    }

    /** Part {@code part} of {@code parts} of a text file (lower-cased, whitespace collapsed). */
    public static Corpus fromFile(Path file, int part, int parts) throws IOException {
        // Bytes that are not UTF-8 become U+FFFD (an unknown symbol to the model), not an error.
        String all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        if (all.isBlank()) {
            throw new IOException("corpus " + file + " is empty");
        }
        int size = all.length() / parts;
        String slice = part == parts - 1 ? all.substring(part * size) : all.substring(part * size, (part + 1) * size);
        return new Corpus(slice.isEmpty() ? all : slice, null);
    }

    /** The next chunk of up to {@code length} characters, or null when a file part is used up. */
    public String next(int length) {
        if (!generated) {
            if (position >= text.length()) {
                return null;
            }
            int end = Math.min(text.length(), position + length);
            String chunk = text.substring(position, end);
            position = end;
            return chunk;
        }
        StringBuilder sb = pending;
        while (sb.length() < length) {
            sb.append(NAMES[pick(new double[] {0.4, 0.3, 0.2, 0.1})]).append(' ')
                    .append(VERBS[pick(new double[] {0.5, 0.2, 0.2, 0.1})]).append(' ')
                    .append(NOUNS[pick(new double[] {0.25, 0.25, 0.25, 0.25})])
                    .append(ENDINGS[pick(new double[] {0.1, 0.7, 0.1, 0.1})]).append(' ');
        }
        String chunk = sb.substring(0, length);
        sb.delete(0, length);
        return chunk;
    }

    private int pick(double[] probabilities) {
        double u = rng.nextDouble();
        for (int i = 0; i < probabilities.length - 1; i++) {
            u -= probabilities[i];
            if (u < 0) {
                return i;
            }
        }
        return probabilities.length - 1;
    }
}
