package org.okrtrl.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pieces of the experiments: text normalisation, readers, slopes, and a short copy-task run. */
class ExperimentPartsTest {
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
        TextCorpus p = TextCorpus.ptbCharacters(ptb);
        assertEquals("a bc d N".length(), p.train.length + p.validation.length + p.test.length);
        assertEquals(47, p.vocabulary.size(), "46 characters and the unknown symbol");
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
    void copyTaskCurriculumAdvancesForALearner() throws Exception {
        var config = new CopyTask.Config(List.of("tbptt:20"), "rhn", 16, 40_000, List.of(1L), 0.01, 1.0, 0.15, 1000, 1);
        var outcomes = CopyTask.run(config, new Results(tmp.resolve("copy")),
                new PrintStream(new ByteArrayOutputStream()));
        assertEquals(1, outcomes.size());
        assertTrue(outcomes.get(0).maxLength() >= 3, "T grew to " + outcomes.get(0).maxLength());
        assertTrue(Files.readString(tmp.resolve("copy/curves.csv")).lines().count() > 10);
    }

    @Test
    void copyTaskCurriculumAdvancesForStreamsSharingOneModel() throws Exception {
        var config = new CopyTask.Config(List.of("ok:2"), "rhn", 16, 80_000, List.of(1L), 0.01, 1.0, 0.15, 1000, 4);
        var outcomes = CopyTask.run(config, new Results(tmp.resolve("copy4")),
                new PrintStream(new ByteArrayOutputStream()));
        assertTrue(outcomes.get(0).maxLength() >= 3, "T grew to " + outcomes.get(0).maxLength());
        assertEquals(0, outcomes.get(0).resets());
    }

    @Test
    void unigramBaselineIsTheCrossEntropyOfTrainingFrequencies() {
        int[] train = {0, 0, 0, 1};
        int[] validation = {0, 1};
        // add-one: p(0) = 4/6, p(1) = 2/6
        double expected = -(Math.log(4.0 / 6) + Math.log(2.0 / 6)) / Math.log(2) / 2;
        assertEquals(expected, CharLm.unigramBits(train, validation, 2), 1e-12);
    }
}
