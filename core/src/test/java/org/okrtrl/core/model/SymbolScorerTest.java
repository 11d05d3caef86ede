package org.okrtrl.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.okrtrl.core.cell.CellType;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.core.train.SharedLearner;
import org.okrtrl.core.train.StreamState;

/**
 * The exported model outside the job: a model file read back is the model written, bit for bit,
 * and the scorer's predictions are the learners' for the same parameters, bit for bit.
 */
class SymbolScorerTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rhn", "rnn"})
    void theScorerPredictsWhatTheLearnerPredictsWithTheSameParameters(String cell) throws IOException {
        LearnerSpec spec = new LearnerSpec("ok:2", cell, 5, 7, 5, Readout.Link.SOFTMAX, "adam", 0.01, 1.0, 1, 0.0, 0.3);
        // A batch no run reaches: the shared model never steps, so the learner's model stays the exported one.
        SharedLearner learner = spec.createShared(3, Integer.MAX_VALUE, false);
        StreamState stream = learner.newStream(1);
        List<String> symbols = List.of("a", "b", "c", "d", "<unk>");
        ModelFile file = ModelFile.of(learner.shared().model(), CellType.parse(cell), symbols, 4, Map.of("algo", "ok:2"));
        Path path = tmp.resolve("model.json");
        file.write(path);
        ModelFile read = ModelFile.read(path);
        assertArrayEquals(file.w(), read.w(), 0.0);
        assertArrayEquals(file.v(), read.v(), 0.0);
        assertEquals(symbols, read.symbols());
        assertEquals("ok:2", read.settings().get("algo"));

        SymbolScorer scorer = new SymbolScorer(read);
        int[] data = new SplittableRandom(9).ints(300, 0, 5).toArray();
        for (int t = 0; t < data.length; t++) {
            double nats = learner.observeSymbol(stream, data[t]);
            double bits = scorer.observe(data[t]);
            if (t == 0) {
                assertTrue(Double.isNaN(nats) && Double.isNaN(bits), "nothing predicted before the first symbol");
            } else {
                assertEquals(nats / Math.log(2), bits, 0.0, "surprise at " + t);
            }
            assertArrayEquals(stream.prediction(), scorer.probabilities(), 0.0, "prediction after " + t);
        }
        assertEquals(0, learner.shared().updates(), "the learner's model never changed");
        assertEquals(4, scorer.index("z"), "outside the vocabulary: the unknown symbol");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{}", "{\"format\": \"okrtrl-model\", \"version\": 2}", "[1, 2]", "not json"})
    void aFileThatIsNotAModelIsRefusedWithAReason(String content) throws IOException {
        Path path = tmp.resolve("bad.json");
        Files.writeString(path, content);
        IOException e = assertThrows(IOException.class, () -> ModelFile.read(path));
        assertTrue(e.getMessage().startsWith(path.toString()), e.getMessage());
    }
}
