package org.okrtrl.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** A small character-level corpus for the experiments' tests: "the cat" or "a dog", at random. */
final class TwoWordText {
    private TwoWordText() {}

    /** Writes {@code phrases} phrases drawn with {@code seed} to dir/ptb.char.train.txt and reads them back. */
    static TextCorpus write(Path dir, long seed, int phrases) throws IOException {
        Path ptb = dir.resolve("ptb.char.train.txt");
        StringBuilder text = new StringBuilder();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < phrases; i++) {
            text.append(random.nextBoolean() ? "t h e _ c a t _ " : "a _ d o g _ ");
        }
        Files.writeString(ptb, text.toString());
        return TextCorpus.file(ptb);
    }
}
