package org.okrtrl.operators;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Maps symbols (characters or tokens) to indices. Three forms, written as a specification:
 * <ul>
 *   <li>{@code chars:<characters>} — each listed character is a symbol ({@code chars:ascii}
 *       is printable ASCII, the default);</li>
 *   <li>{@code tokens:<a,b,c>} or {@code tokens:@<file>} (one token per line);</li>
 *   <li>{@code hash:<V>} — the hashing trick into V buckets.</li>
 * </ul>
 * Listed vocabularies end with the unknown symbol {@code <unk>}, which takes everything else.
 */
public final class Vocabulary implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String UNKNOWN = "<unk>";
    public static final String DEFAULT_SPEC = "chars:ascii";

    private final String spec;
    private final String[] symbols;
    private final Map<String, Integer> index;
    private final int buckets;

    private Vocabulary(String spec, List<String> symbols, int buckets) {
        this.spec = spec;
        this.buckets = buckets;
        if (buckets > 0) {
            this.symbols = null;
            this.index = null;
        } else {
            this.symbols = symbols.toArray(new String[0]);
            this.index = new HashMap<>();
            for (int i = 0; i < this.symbols.length; i++) {
                index.put(this.symbols[i], i);
            }
        }
    }

    /** Parses a specification; IllegalArgumentException says what is wrong. */
    public static Vocabulary parse(String spec) {
        if (spec.startsWith("chars:")) {
            String chars = spec.substring(6);
            if (chars.equals("ascii")) {
                StringBuilder sb = new StringBuilder();
                for (char c = 32; c < 127; c++) {
                    sb.append(c);
                }
                chars = sb.toString();
            }
            LinkedHashSet<String> set = new LinkedHashSet<>();
            chars.codePoints().forEach(cp -> set.add(new String(Character.toChars(cp))));
            return listed(spec, new ArrayList<>(set));
        }
        if (spec.startsWith("tokens:")) {
            String body = spec.substring(7);
            List<String> tokens = new ArrayList<>();
            if (body.startsWith("@")) {
                try {
                    for (String line : Files.readAllLines(Path.of(body.substring(1)), StandardCharsets.UTF_8)) {
                        if (!line.isBlank()) {
                            tokens.add(line.strip());
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalArgumentException("vocabulary file " + body.substring(1) + ": " + e.getMessage());
                }
            } else {
                for (String t : body.split(",")) {
                    if (!t.isEmpty()) {
                        tokens.add(t);
                    }
                }
            }
            return listed(spec, new ArrayList<>(new LinkedHashSet<>(tokens)));
        }
        if (spec.startsWith("hash:")) {
            int v;
            try {
                v = Integer.parseInt(spec.substring(5));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("vocabulary '" + spec + "': hash needs a bucket count");
            }
            if (v < 2) {
                throw new IllegalArgumentException("vocabulary '" + spec + "': at least 2 buckets");
            }
            return new Vocabulary(spec, null, v);
        }
        throw new IllegalArgumentException(
                "vocabulary '" + spec + "': expected chars:<characters>, tokens:<a,b,...>, tokens:@<file> or hash:<V>");
    }

    private static Vocabulary listed(String spec, List<String> symbols) {
        if (symbols.isEmpty()) {
            throw new IllegalArgumentException("vocabulary '" + spec + "' lists no symbols");
        }
        symbols.remove(UNKNOWN);
        symbols.add(UNKNOWN);
        return new Vocabulary(spec, symbols, 0);
    }

    /** Number of symbols, the unknown symbol included. */
    public int size() {
        return buckets > 0 ? buckets : symbols.length;
    }

    /** The index of a symbol, or -1 - (index of unknown) when it is not in the vocabulary. */
    public int lookup(String symbol) {
        if (buckets > 0) {
            return Math.floorMod(fnv1a(symbol), buckets);
        }
        Integer i = index.get(symbol);
        return i != null ? i : -1 - (symbols.length - 1);
    }

    /** The printable name of an index. */
    public String symbol(int i) {
        return buckets > 0 ? "#" + i : symbols[i];
    }

    public String spec() {
        return spec;
    }

    private static int fnv1a(String s) {
        int h = 0x811c9dc5;
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * 0x01000193;
        }
        return h;
    }
}
