package org.okrtrl.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.okrtrl.core.model.ModelFile;
import org.okrtrl.core.model.SymbolScorer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Scores a text with an exported model outside any Flink job, through the core's
 * {@link SymbolScorer}: one JSON line per character, as the job's predictions report it.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score a text with an exported model (model.json) outside the job: one JSON line per character "
                + "with its position, the symbol, its surprise in bits under the prediction before it, and the most "
                + "likely next symbols.")
public final class ScoreCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, description = "The model file (export-model or local --export-model).")
    Path model;

    @Option(names = "--text", description = "UTF-8 text; every character (code point) is a step.")
    Path text;

    @picocli.CommandLine.Mixin
    SeriesOptions seriesOptions = new SeriesOptions();

    @Option(names = "--out", required = true, description = "Where to write the JSON lines.")
    Path out;

    @Option(names = "--top-k", defaultValue = "3", description = "Most likely next symbols per line.")
    int topK;

    @Override
    public Integer call() throws Exception {
        if (topK < 0) {
            throw new UserInputException("--top-k: expected >= 0");
        }
        if ((text == null) == (seriesOptions.series == null)) {
            throw new UserInputException("give one of --text (a symbol model) or --series (a real-valued model)");
        }
        ModelFile file;
        try {
            file = ModelFile.read(model);
        } catch (java.io.IOException e) {
            throw new UserInputException("--model: " + e.getMessage());
        }
        if (seriesOptions.series != null) {
            return scoreSeries(file);
        }
        SymbolScorer scorer;
        try {
            scorer = new SymbolScorer(file);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--model: " + e.getMessage());
        }
        if (!Files.isReadable(text)) {
            throw new UserInputException("--text: cannot read " + text);
        }
        String content = Files.readString(text, StandardCharsets.UTF_8);
        ObjectMapper mapper = new ObjectMapper();
        int[] top = new int[topK];
        long steps = 0;
        double bitsSum = 0;
        long scored = 0;
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            int position = 0;
            for (int i = 0; i < content.length(); ) {
                int cp = content.codePointAt(i);
                i += Character.charCount(cp);
                String symbol = new String(Character.toChars(cp));
                int index = scorer.index(symbol);
                if (index < 0) {
                    throw new UserInputException("--text: '" + symbol + "' at position " + position
                            + " is outside the model's vocabulary, which has no unknown symbol");
                }
                double bits = scorer.observe(index);
                if (Double.isFinite(bits)) {
                    bitsSum += bits;
                    scored++;
                }
                java.io.StringWriter line = new java.io.StringWriter();
                try (JsonGenerator g = mapper.getFactory().createGenerator(line)) {
                    g.writeStartObject();
                    g.writeNumberField("position", position);
                    g.writeStringField("symbol", symbol);
                    if (Double.isFinite(bits)) {
                        g.writeNumberField("surprise_bits", bits);
                    } else {
                        g.writeNullField("surprise_bits");
                    }
                    int n = SymbolScorer.topIndices(scorer.probabilities(), top);
                    g.writeArrayFieldStart("top");
                    for (int j = 0; j < n; j++) {
                        g.writeStartObject();
                        g.writeStringField("symbol", scorer.symbol(top[j]));
                        g.writeNumberField("p", scorer.probabilities()[top[j]]);
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                w.write(line.toString());
                w.newLine();
                position++;
                steps++;
            }
        }
        spec.commandLine().getOut().printf(java.util.Locale.ROOT, "scored %,d steps, %.4f bits per character%n", steps,
                scored > 0 ? bitsSum / scored : Double.NaN);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** One JSON line per row: its seq, the prediction (for seq + 1 when forecasting) and the error it scored. */
    private int scoreSeries(ModelFile file) throws Exception {
        org.okrtrl.core.model.SeriesScorer scorer;
        try {
            scorer = new org.okrtrl.core.model.SeriesScorer(file);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--model: " + e.getMessage());
        }
        org.okrtrl.local.SeriesFile.Series rows = seriesOptions.read();
        if (rows.inputNames().size() != file.inputs() || file.outputs() != 1) {
            throw new UserInputException("--series: " + rows.inputNames().size() + " inputs " + rows.inputNames()
                    + " and one target, the model has " + file.inputs() + " inputs and " + file.outputs() + " outputs");
        }
        boolean forecast = "forecast".equals(file.settings().get("real-task"));
        ObjectMapper mapper = new ObjectMapper();
        double[] output = new double[1];
        double sum = 0;
        long scored = 0;
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (int i = 0; i < rows.rows(); i++) {
                double error = scorer.step(rows.x()[i], new double[] {rows.y()[i]}, output);
                com.fasterxml.jackson.databind.node.ObjectNode line = mapper.createObjectNode();
                line.put("seq", rows.seq()[i]);
                line.put("forecast_seq", forecast ? rows.seq()[i] + 1 : rows.seq()[i]);
                line.putArray("output").add(output[0]);
                if (Double.isFinite(error)) {
                    line.put("squared_error", error);
                    sum += error;
                    scored++;
                } else {
                    line.putNull("squared_error");
                }
                w.write(mapper.writeValueAsString(line));
                w.newLine();
            }
        }
        spec.commandLine().getOut().printf(java.util.Locale.ROOT, "scored %,d rows, mean squared error %.6g%n",
                rows.rows(), scored > 0 ? sum / scored : Double.NaN);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
