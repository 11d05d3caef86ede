package org.okrtrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code okrtrl gradcheck} on the independent fixture's weights, and on broken input. */
class GradcheckCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void reportsExactGradientAndEstimatorStatistics() throws IOException {
        Path problem = write(fixtureProblem());
        Path out = dir.resolve("result.json");
        CliRun run = CliRun.execute("gradcheck", "--problem", problem.toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode result = JSON.readTree(out.toFile());
        JsonNode fixture = fixture();

        assertEquals(fixture.get("L_total").asDouble(), result.get("loss").asDouble(), 1e-12);
        // dW rows are [W_in | W_rec | b_rec] of the fixture's Elman network.
        JsonNode dW = result.get("exact").get("dW");
        assertEquals(fixture.get("grad_W_rec").get(2).get(1).asDouble(), dW.get(2).get(2 + 1).asDouble(), 1e-12);
        assertEquals(fixture.get("grad_b_rec").get(3).asDouble(), dW.get(3).get(6).asDouble(), 1e-12);
        assertEquals(fixture.get("grad_b_out").get(1).asDouble(), result.get("exact").get("dV").get(1).get(4).asDouble(),
                1e-12);

        JsonNode estimators = result.get("estimators");
        assertEquals(0.0, estimators.get("rtrl").get("rel_bias").asDouble(), 1e-12);
        assertEquals(1, estimators.get("rtrl").get("samples").asInt());
        assertEquals(0.0, estimators.get("tbptt:5").get("rel_bias").asDouble(), 1e-12, "T >= length is exact");
        assertTrue(estimators.get("tbptt:2").get("rel_bias").asDouble() > 1e-3, "T = 2 truncates");
        for (String name : new String[] {"ok:1", "ok:4", "kf", "uoro"}) {
            JsonNode e = estimators.get(name);
            assertEquals(4000, e.get("samples").asInt());
            double std = e.get("rel_std_one_sample").asDouble();
            double bias = e.get("rel_bias").asDouble();
            // Unbiased: the mean's error shrinks like one sample's spread over sqrt(N).
            assertTrue(bias < 5 * std / Math.sqrt(4000) + 1e-9, name + " bias " + bias + " vs spread " + std);
        }
        // n = 4 and p = 7: 4-OK is below the rank bound but far closer than 1-OK and KF.
        assertTrue(estimators.get("ok:4").get("rel_std_one_sample").asDouble()
                < estimators.get("ok:1").get("rel_std_one_sample").asDouble());
        assertTrue(estimators.get("ok:1").get("rel_std_one_sample").asDouble()
                <= estimators.get("kf").get("rel_std_one_sample").asDouble());
    }

    @Test
    void printsToStandardOutputWithoutOut() throws IOException {
        ObjectNode problem = fixtureProblem();
        problem.putArray("estimators").add("ok:2");
        problem.put("samples", 10);
        CliRun run = CliRun.execute("gradcheck", "--problem", write(problem).toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(10, JSON.readTree(run.out()).get("estimators").get("ok:2").get("samples").asInt());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "W rows                 | W          | [[0.1,0.2]]                  | W: expected 4 rows",
        "NaN input              | inputs     | [[NaN, 0.1],[0.1,0.1],[0.2,0.2],[0.3,0.3],[0.4,0.4]] | inputs[0][0]: not a finite number",
        "ragged targets         | targets    | [[1,2],[3]]                  | targets[1]: expected 2 entries",
        "unknown estimator      | estimators | [\"ok:8\", \"bptt\"]         | estimators: unknown algorithm 'bptt'",
        "bad rank               | estimators | [\"ok:0\"]                   | estimators: algorithm 'ok:0' needs a positive integer",
        "cell                   | cell       | \"lstm\"                     | cell: expected \"rnn\" or \"rhn\"",
        "samples                | samples    | 0                            | samples: expected a value in [1,",
        "string in V            | V          | [[\"a\",1,1,1,1],[1,1,1,1,1]] | V[0][0]: expected a number"
    })
    void invalidInputExitsNonZeroNamingTheField(String label, String field, String value, String message)
            throws IOException {
        ObjectNode problem = fixtureProblem();
        problem.set(field, new ObjectMapper().enable(com.fasterxml.jackson.core.JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS)
                .readTree(value));
        CliRun run = CliRun.execute("gradcheck", "--problem", write(problem).toString());
        assertEquals(2, run.exitCode(), label);
        assertTrue(run.err().contains(message), label + ": " + run.err());
    }

    @Test
    void malformedJsonIsReported() throws IOException {
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"cell\": \"rnn\", ");
        CliRun run = CliRun.execute("gradcheck", "--problem", broken.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("problem: invalid JSON"), run.err());
    }

    private ObjectNode fixtureProblem() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/elman-problem.json")) {
            return (ObjectNode) JSON.readTree(in);
        }
    }

    /** The independent implementation's numbers, kept once in the learning core's tests. */
    private static JsonNode fixture() throws IOException {
        return JSON.readTree(Path.of("../core/src/test/resources/elman-mse-rtrl-gradient.json").toFile());
    }

    /** Writes the problem; NaN is written as the bare literal some tools emit, not as a string. */
    private Path write(JsonNode problem) throws IOException {
        Path file = Files.createTempFile(dir, "problem", ".json");
        com.fasterxml.jackson.databind.json.JsonMapper.builder()
                .disable(com.fasterxml.jackson.core.json.JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                .build()
                .writeValue(file.toFile(), problem);
        return file;
    }
}
