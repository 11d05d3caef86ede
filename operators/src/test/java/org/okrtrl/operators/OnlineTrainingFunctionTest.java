package org.okrtrl.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.core.train.SequenceLearner;

/** The per-key training function in Flink's keyed test harness: each key its own model, bit for bit. */
class OnlineTrainingFunctionTest {
    private static final Vocabulary VOCAB = Vocabulary.parse("chars:abc");
    private static final LearnerSpec SPEC =
            new LearnerSpec("kf", "rnn", 3, 5, 3, Readout.Link.SOFTMAX, "adam", 0.01, 1.0, 1, 1.0);

    @Test
    void eachKeyTrainsItsOwnModelExactlyAsOffline() throws Exception {
        TrainingConfig config = new TrainingConfig(SPEC, 2, VOCAB, TrainingConfig.GapPolicy.RESET, 0);
        try (var h = new KeyedOneInputStreamOperatorTestHarness<String, StepBatch, Prediction>(
                new KeyedProcessOperator<>(new OnlineTrainingFunction(config)), b -> b.key, Types.STRING)) {
            h.open();
            h.processElement(new StreamRecord<>(batch("x", 0, "abcabc")));
            h.processElement(new StreamRecord<>(batch("y", 0, "ccc")));
            h.processElement(new StreamRecord<>(batch("x", 1, "ab")));
            h.processElement(new StreamRecord<>(batch("x", 1, "ab")));
            List<Prediction> out = h.extractOutputValues();
            assertEquals(11, out.size(), "the repeated record is a duplicate");
            SequenceLearner offline = SPEC.create(LearnerSpec.keySeed(2, "x"));
            int i = 0;
            for (char c : "abcabcab".toCharArray()) {
                while (!out.get(i).key.equals("x")) {
                    i++;
                }
                double bits = offline.observeSymbol(VOCAB.lookup(String.valueOf(c))) / Math.log(2);
                assertEquals(bits, out.get(i).surpriseBits, 0.0);
                assertEquals(offline.updates(), out.get(i).modelSteps);
                i++;
            }
            assertTrue(out.get(6).key.equals("y") && out.get(8).modelSteps == 2, "y has a model of its own");
        }
    }

    @Test
    void aGapStartsANewSequence() throws Exception {
        TrainingConfig config = new TrainingConfig(SPEC, 2, VOCAB, TrainingConfig.GapPolicy.RESET, 0);
        try (var h = new KeyedOneInputStreamOperatorTestHarness<String, StepBatch, Prediction>(
                new KeyedProcessOperator<>(new OnlineTrainingFunction(config)), b -> b.key, Types.STRING)) {
            h.open();
            h.processElement(new StreamRecord<>(batch("x", 0, "ab")));
            h.processElement(new StreamRecord<>(batch("x", 5, "ab")));
            List<Prediction> out = h.extractOutputValues();
            assertTrue(Double.isNaN(out.get(2).surpriseBits), "after the gap nothing was predicted yet");
        }
    }

    private static StepBatch batch(String key, long seq, String text) {
        StepBatch b = new StepBatch();
        b.key = key;
        b.seq = seq;
        b.symbols = text.chars().map(c -> VOCAB.lookup(String.valueOf((char) c))).toArray();
        return b;
    }
}
