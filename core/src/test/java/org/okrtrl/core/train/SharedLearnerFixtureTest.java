package org.okrtrl.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.okrtrl.core.influence.Precision;
import org.okrtrl.core.readout.Readout;

/**
 * The shared learner computes bit for bit what the recorded runs computed: three streams, one
 * model, an optimiser step every four scored events, 400 symbols (one stream reset halfway); the
 * losses, the model, the accumulators and every stream's state hash to the recorded values. The
 * hashes were recorded by the code that added each event's gradient before taking its step, so
 * they show that adding it inside the step (while the step has the factors in cache) changed no
 * number. Run with {@code -Dokrtrl.printFixtureHashes=true} to print the current values after a
 * deliberate change of arithmetic.
 */
class SharedLearnerFixtureTest {

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "ok:3, rhn, float, 9530f098a05fbddb0ebddf03b8575dcb145563e320e862f439a4e018bbeac709",
        "ok:8, rnn, double, 9a5c2dfbebd04132a0f65bd3db5d40773181ebb415f489bb3831fc44d64f8824",
        "rtrl, rnn, double, 91f57a3d800ae4fd0c81dd8825569792fdc6eecc2738f8d5c84fc0c691d837c8",
        "uoro, rhn, double, fa0943b9d397a64125b08daff24a94ce66c422ab4026768fe282919117888be6"
    })
    void sharedLearnerIsBitIdenticalToTheRecordedRun(String algorithm, String cell, String precision, String expected)
            throws IOException, NoSuchAlgorithmException {
        LearnerSpec spec = new LearnerSpec(algorithm, cell, 7, 6, 7, Readout.Link.SOFTMAX, "adam", 0.01, 1.0, 1, 1.0)
                .withPrecision(Precision.parse(precision)).withAdamBeta2(Adam.BETA2); // as recorded
        SharedLearner learner = spec.createShared(42, 4, false);
        StreamState[] streams = new StreamState[3];
        for (int s = 0; s < streams.length; s++) {
            streams[s] = learner.newStream(100 + s);
        }
        int[] data = new SplittableRandom(5).ints(400, 0, 7).toArray();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        DataOutputStream out = new DataOutputStream(bytes);
        for (int t = 0; t < data.length; t++) {
            if (t == 200) {
                learner.resetSequence(streams[1]);
            }
            out.writeLong(Double.doubleToRawLongBits(learner.observeSymbol(streams[t % streams.length], data[t])));
        }
        for (double[] a : learner.shared().stateArrays()) {
            writeAll(out, a);
        }
        for (StreamState s : streams) {
            for (double[] a : s.stateArrays()) {
                writeAll(out, a);
            }
            for (float[] a : s.floatStateArrays()) {
                for (float f : a) {
                    out.writeInt(Float.floatToRawIntBits(f));
                }
            }
            for (long v : s.scalarState()) {
                out.writeLong(v);
            }
        }
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
        if (Boolean.getBoolean("okrtrl.printFixtureHashes")) {
            System.out.println("shared fixture: " + algorithm + " " + cell + " " + precision + " " + hash);
        }
        assertEquals(expected, hash, "shared " + algorithm + " " + cell + " " + precision + " changed");
    }

    private static void writeAll(DataOutputStream out, double[] a) throws IOException {
        for (double d : a) {
            out.writeLong(Double.doubleToRawLongBits(d));
        }
    }
}
