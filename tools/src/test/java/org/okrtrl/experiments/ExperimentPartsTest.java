package org.okrtrl.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pieces of the experiments: text normalisation, readers, slopes, and a short copy-task run. */
class ExperimentPartsTest {
    /** The initialisation these tests were written for: fan-in weights, carry bias 1. */
    private static final Initialization FAN_IN = new Initialization(0.0, 1.0);

    @TempDir
    Path tmp;

    @Test
    void textIsNormalisedLikeCharacterLevelPtb() {
        assertEquals("in N, the u.s. had N million", TextCorpus.normalise("In 1960,  the U.S.\nhad 3.5 million"));
        assertEquals("N-N", TextCorpus.normalise("1,000-2000"));
    }

    @Test
    void readsBrownTokensAndPtbCharacterFiles() throws Exception {
        Path brown = Files.createDirectories(tmp.resolve("brown"));
        Files.writeString(brown.resolve("ca01"), "\n\tThe/at Jury/nn-tl said/vbd ``/`` 12/cd ''/'' ./.\n");
        TextCorpus b = TextCorpus.brown(brown);
        int total = b.train.length + b.validation.length + b.test.length;
        assertEquals("the jury said \" N \" .".length(), total);
        assertEquals(b.vocabulary.lookup("t"), b.train[0]);
        Path ptb = tmp.resolve("ptb.char.train.txt");
        Files.writeString(ptb, "a _ b c\nd _ N\n");
        TextCorpus p = TextCorpus.file(ptb);
        assertEquals("a bc d N".length(), p.train.length + p.validation.length + p.test.length);
        assertEquals(47, p.vocabulary.size(), "46 characters and the unknown symbol");
    }

    @Test
    void readsPlainTextFilesWithTheirSpacesAndAnyBytes() throws Exception {
        Path plain = tmp.resolve("story.txt");
        Files.write(plain, "It was 1 a.m.\nThe  caf\u00e9 \u2014 closed.\n".getBytes(StandardCharsets.UTF_8));
        TextCorpus t = TextCorpus.file(plain);
        assertTrue(t.source.startsWith("text:"), t.source);
        String expected = "it was N a.m. the caf? ? closed.";
        assertEquals(expected.length(), t.train.length + t.validation.length + t.test.length);
        assertEquals(t.vocabulary.lookup(" "), t.train[2], "the space between words is kept");

        Path latin1 = tmp.resolve("latin1.txt");
        Files.write(latin1, new byte[] {'c', 'a', 'f', (byte) 0xE9, ' ', 'o', 'k'});
        TextCorpus l = TextCorpus.file(latin1);
        assertEquals("caf? ok".length(), l.train.length + l.validation.length + l.test.length);

        assertTrue(TextCorpus.looksLikePtbCharacters("a _ b c\nd _ N\n"));
        assertFalse(TextCorpus.looksLikePtbCharacters("a short line of prose, as in a book.\n"));
        assertThrows(java.io.IOException.class, () -> TextCorpus.file(Files.writeString(tmp.resolve("e.txt"), " \n")));
    }

    @Test
    void fitsLogLogSlopes() throws Exception {
        Path table = tmp.resolve("bench.md");
        StringBuilder sb = new StringBuilder("| algorithm | cell | n | V | median ms/step |\n|---|---|---|---|---|\n");
        for (int n : new int[] {32, 64, 128}) {
            sb.append("| ok:1 | rnn | ").append(n).append(" | 50 | ").append(1e-5 * Math.pow(n, 3)).append(" |\n");
            sb.append("| ok:2 | rnn | ").append(n).append(" | 50 | ").append(2e-5 * Math.pow(n, 3)).append(" |\n");
            sb.append("| uoro | rnn | ").append(n).append(" | 50 | ").append(1e-5 * Math.pow(n, 2)).append(" |\n");
        }
        Files.writeString(table, sb.toString());
        var slopes = Scaling.run(table, "rnn", 32, new Results(tmp.resolve("scaling")));
        assertEquals(3.0, slopes.get("ok:1"), 1e-9);
        assertEquals(2.0, slopes.get("uoro"), 1e-9);
        assertTrue(Files.size(tmp.resolve("scaling/scaling-n.png")) > 1000, "a figure was drawn");
    }

    @Test
    void separatesTheCubicFromTheQuadraticPart() {
        java.util.Map<Integer, Double> points = new java.util.TreeMap<>();
        for (int n : new int[] {16, 32, 64, 128, 256}) {
            points.put(n, 2e-7 * n * n * n + 3e-5 * n * n);
        }
        double[] split = Scaling.cubicPlusQuadratic(points);
        assertEquals(2e-7, split[0], 1e-15);
        assertEquals(3e-5, split[1], 1e-13);
    }

    @Test
    void copyTaskCurriculumAdvancesForALearner() throws Exception {
        var config = new CopyTask.Config(List.of("tbptt:20"), "rhn", 16, 40_000, List.of(1L), List.of(0.01), 1.0, 0.15, 1000, 1,
                FAN_IN, Replication.NONE);
        var outcomes = CopyTask.run(config, new Results(tmp.resolve("copy")),
                new PrintStream(new ByteArrayOutputStream()));
        assertEquals(1, outcomes.size());
        assertTrue(outcomes.get(0).outcome().maxLength() >= 3, "T grew to " + outcomes.get(0).outcome().maxLength());
        assertTrue(Files.readString(tmp.resolve("copy/curves.csv")).lines().count() > 10);
    }

    @Test
    void copyTaskCurriculumAdvancesForStreamsSharingOneModel() throws Exception {
        var config = new CopyTask.Config(List.of("ok:2"), "rhn", 16, 80_000, List.of(1L), List.of(0.01), 1.0, 0.15, 1000, 4,
                FAN_IN, Replication.NONE);
        var outcomes = CopyTask.run(config, new Results(tmp.resolve("copy4")),
                new PrintStream(new ByteArrayOutputStream()));
        assertTrue(outcomes.get(0).outcome().maxLength() >= 3, "T grew to " + outcomes.get(0).outcome().maxLength());
        assertEquals(0, outcomes.get(0).outcome().resets());
    }

    @Test
    void unigramBaselineIsTheCrossEntropyOfTrainingFrequencies() {
        int[] train = {0, 0, 0, 1};
        int[] validation = {0, 1};
        // add-one: p(0) = 4/6, p(1) = 2/6
        double expected = -(Math.log(4.0 / 6) + Math.log(2.0 / 6)) / Math.log(2) / 2;
        assertEquals(expected, CharLm.unigramBits(train, validation, 2), 1e-12);
    }

    @Test
    void charLmGridKeepsTheBestRateAndScoresEveryTrainingCharacter() throws Exception {
        TextCorpus corpus = TwoWordText.write(tmp, 3, 3000);
        var config = new CharLm.Config(List.of("tbptt:5"), "rhn", 8, 4_000, List.of(1L, 2L), List.of(0.01, 1e-6),
                1.0, 2_000, 500, 2, FAN_IN, 0, Replication.NONE);
        Results results = new Results(tmp.resolve("charlm"));
        var runs = CharLm.run(config, corpus, results, new PrintStream(new ByteArrayOutputStream()));
        assertEquals(3, runs.size(), "two rates on the first seed, the second seed at the chosen rate");
        var chosen = runs.stream().filter(LearningRateGrid.Run::selected).toList();
        assertEquals(2, chosen.size());
        assertEquals(0.01, chosen.get(0).learningRate(), "1e-6 barely moves the weights in 4,000 characters");
        for (var run : runs) {
            double prequential = run.outcome().prequentialBits();
            assertTrue(prequential > 0 && prequential < Math.log(47) / Math.log(2) + 0.5, "prequential " + prequential);
        }
        List<String> compressors = Files.readAllLines(tmp.resolve("charlm/compressors.csv"));
        assertEquals(3, compressors.size(), "a header and one row per seed");
        double xz = Double.parseDouble(compressors.get(1).split(",")[4]);
        assertTrue(xz > 0 && xz < 4, "two words with a random choice compress well below 8 bits: " + xz);
        assertEquals(3, Files.readAllLines(tmp.resolve("charlm/summary.csv")).size() - 1);
        String[] headline = Files.readAllLines(tmp.resolve("charlm/headline.csv")).get(1).split(",");
        assertEquals("tbptt:5", headline[0]);
        assertEquals(0.01, Double.parseDouble(headline[1]));
        assertEquals("2", headline[2], "seeds at the chosen rate");
    }

    @Test
    void trainingTextIsTheCharactersTheStreamsRead() throws Exception {
        Path ptb = tmp.resolve("ptb.char.train.txt");
        Files.writeString(ptb, "a b c d e f g h i j k l m n o p q r s t u v w x y z ".repeat(40));
        TextCorpus corpus = TextCorpus.file(ptb);
        var config = new CharLm.Config(List.of("kf"), "rhn", 8, 40, List.of(1L), List.of(0.001), 1.0, 20, 10, 2,
                FAN_IN, 0, Replication.NONE);
        byte[] text = CharLm.trainingText(config, corpus, 1);
        assertEquals(40, text.length);
        int part = corpus.train.length / 2;
        int offset = (int) (100_003L % corpus.train.length);
        for (int i = 0; i < 20; i++) {
            assertEquals(TextCorpus.ALPHABET.charAt(corpus.train[(offset + i + 1) % corpus.train.length]),
                    (char) text[i]);
            assertEquals(TextCorpus.ALPHABET.charAt(corpus.train[(offset + part + i + 1) % corpus.train.length]),
                    (char) text[20 + i]);
        }
    }

    @Test
    void compressorsShrinkRepetitiveTextAndNotRandomBytes() {
        byte[] repetitive = "the quick brown fox jumps over the lazy dog ".repeat(2000).getBytes();
        Compressors.Bits bits = Compressors.measure(repetitive);
        assertTrue(bits.gzip() < 0.5 && bits.bzip2() < 0.5 && bits.xz() < 0.5, bits.toString());
        byte[] random = new byte[100_000];
        new java.util.SplittableRandom(1).nextBytes(random);
        Compressors.Bits noise = Compressors.measure(random);
        assertTrue(noise.gzip() > 7.9 && noise.bzip2() > 7.9 && noise.xz() > 7.9, noise.toString());
    }
}
