package org.okrtrl.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.okrtrl.core.readout.Readout;

/**
 * Per-key learners compute bit for bit what the recorded runs computed: the losses, every state
 * array and every scalar after 300 symbols (with a sequence reset halfway) hash to the values in
 * {@code fixtures/per-key-learners.sha256}. Any change of arithmetic, however small, shows here.
 * The hashes were first recorded by the code before the model/stream split (proving the split
 * changed nothing) and re-recorded, deliberately, when the Gram, gradient and dot kernels moved to
 * the Vector API and r-OK began adding its gradient to the accumulator straight from its factors
 * (both reorder sums), when the global gradient norm began summing with the vector dot product, and
 * when the reduction began reading D_t only where it can be non-zero, and when it took the Gram
 * matrices' R factors from pivoted Cholesky instead of eigendecompositions, and when its core SVD
 * began visiting column pairs in round-robin order, and when the readout began forming its logits with
 * vector dot products, and when the ends of r-OK's new factors began to be formed by vector FMAs;
 * run with {@code -Dokrtrl.printFixtureHashes=true} to print
 * the current values after such a change.
 */
class PerKeyFixtureTest {

    static Stream<String> fixtureLines() throws IOException {
        try (InputStream in = PerKeyFixtureTest.class.getResourceAsStream("/fixtures/per-key-learners.sha256")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank()).toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtureLines")
    void perKeyLearnerIsBitIdenticalToTheRecordedRun(String line) throws IOException, NoSuchAlgorithmException {
        String[] f = line.split(" ");
        LearnerSpec spec = new LearnerSpec(f[0], f[1], 7, 6, 7, Readout.Link.SOFTMAX, "adam", 0.01, 1.0,
                Integer.parseInt(f[2]), 1.0).withAdamBeta2(Adam.BETA2); // the decay the hashes were recorded with
        SequenceLearner learner = spec.create(42);
        int[] data = new SplittableRandom(5).ints(300, 0, 7).toArray();
        // Doubles as raw big-endian bits, as Flink's serializer wrote them when the hashes were recorded.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        DataOutputStream out = new DataOutputStream(bytes);
        for (int t = 0; t < 300; t++) {
            if (t == 150) {
                learner.resetSequence();
            }
            out.writeLong(Double.doubleToRawLongBits(learner.observeSymbol(data[t])));
        }
        for (double[] a : learner.stateArrays()) {
            for (double d : a) {
                out.writeLong(Double.doubleToRawLongBits(d));
            }
        }
        for (long s : learner.scalarState()) {
            out.writeLong(s);
        }
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
        if (Boolean.getBoolean("okrtrl.printFixtureHashes")) {
            System.out.println("fixture: " + f[0] + " " + f[1] + " " + f[2] + " " + hash);
        }
        assertEquals(f[3], hash, "per-key " + f[0] + " " + f[1] + " update-every " + f[2] + " changed");
    }
}
