package org.okrtrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.okrtrl.core.cell.CellType;
import org.okrtrl.core.model.ModelFile;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.core.train.Model;

/**
 * The model outside the job: {@code bin/okrtrl score} (the core's scorer) and
 * {@code scripts/score.py} (numpy) write the same lines for the same model and text, to 1e-9 in
 * bits and probabilities. Needs python3 with numpy (.ci/run installs Debian's python3-numpy).
 */
class ScoreCommandTest {
    @TempDir
    Path tmp;

    @Test
    void theJavaAndPythonScorersAgree() throws Exception {
        for (String cell : List.of("rhn", "rnn")) {
            List<String> symbols = new ArrayList<>();
            for (char c : "abcdefgh .".toCharArray()) {
                symbols.add(String.valueOf(c));
            }
            symbols.add("<unk>");
            LearnerSpec spec = new LearnerSpec("ok:2", cell, symbols.size(), 12, symbols.size(), Readout.Link.SOFTMAX,
                    "adam", 0.01, 1.0, 1, 0.0, 0.5);
            Model model = spec.createShared(4, 1, false).shared().model();
            Path modelFile = tmp.resolve(cell + "-model.json");
            ModelFile.of(model, CellType.parse(cell), symbols, symbols.size() - 1, Map.of()).write(modelFile);
            Path text = tmp.resolve("text.txt");
            Files.writeString(text, "a bad cafe had a fig. gab! ".repeat(20) + "ünknown", StandardCharsets.UTF_8);
            Path javaOut = tmp.resolve(cell + "-java.jsonl");
            Path pythonOut = tmp.resolve(cell + "-python.jsonl");
            CliRun run = CliRun.execute("score", "--model", modelFile.toString(), "--text", text.toString(), "--out",
                    javaOut.toString());
            assertEquals(0, run.exitCode(), run.err());
            Process python = new ProcessBuilder("python3", Path.of("..", "scripts", "score.py").toString(), "--model",
                    modelFile.toString(), "--text", text.toString(), "--out", pythonOut.toString())
                    .redirectErrorStream(true).start();
            String pythonLog = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, python.waitFor(), "scripts/score.py: " + pythonLog);
            List<String> java = Files.readAllLines(javaOut);
            List<String> py = Files.readAllLines(pythonOut);
            assertEquals(Files.readString(text).codePointCount(0, Files.readString(text).length()), java.size());
            assertEquals(java.size(), py.size());
            ObjectMapper mapper = new ObjectMapper();
            for (int i = 0; i < java.size(); i++) {
                JsonNode a = mapper.readTree(java.get(i));
                JsonNode b = mapper.readTree(py.get(i));
                assertEquals(a.get("position").asInt(), b.get("position").asInt());
                assertEquals(a.get("symbol").asText(), b.get("symbol").asText());
                assertEquals(a.get("surprise_bits").isNull(), b.get("surprise_bits").isNull(), "line " + i);
                if (!a.get("surprise_bits").isNull()) {
                    assertEquals(a.get("surprise_bits").asDouble(), b.get("surprise_bits").asDouble(), 1e-9, "line " + i);
                }
                for (int k = 0; k < 3; k++) {
                    assertEquals(a.get("top").get(k).get("p").asDouble(), b.get("top").get(k).get("p").asDouble(), 1e-9);
                }
            }
            assertTrue(java.get(0).contains("\"surprise_bits\":null"), java.get(0));
        }
    }

    @Test
    void aRealValuedModelScoresASeriesAsTheJobReadsIt() throws Exception {
        LearnerSpec spec = new LearnerSpec("ok:2", "rhn", 5, 8, 1, Readout.Link.LINEAR, "adam", 0.01, 1.0, 1, 0.0, 0.1);
        Model model = spec.createShared(4, 1, false).shared().model();
        Path modelFile = tmp.resolve("series-model.json");
        ModelFile.of(model, CellType.RHN, null, -1, Map.of("real-task", "forecast", "forecast-target", "change",
                "standardize", "true")).write(modelFile);
        StringBuilder csv = new StringBuilder("date,value\n");
        for (int t = 0; t < 50; t++) {
            csv.append(java.time.LocalDate.of(2020, 1, 1).plusDays(t)).append(',').append(10 + t % 7).append('\n');
        }
        Path series = tmp.resolve("s.csv");
        Files.writeString(series, csv);
        Path out = tmp.resolve("s.jsonl");
        CliRun run = CliRun.execute("score", "--model", modelFile.toString(), "--series", series.toString(), "--target",
                "value", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(50, lines.size());
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertTrue(first.get("squared_error").isNull() && first.get("output").get(0).asDouble() == 10.0,
                "an untrained change model starts as persistence: " + first);
        assertEquals(1, first.get("forecast_seq").asLong());
        CliRun wrong = CliRun.execute("score", "--model", modelFile.toString(), "--series", series.toString(),
                "--target", "value", "--calendar", "false", "--out", out.toString());
        assertEquals(2, wrong.exitCode(), "1 input against the model's 5");
    }
}
