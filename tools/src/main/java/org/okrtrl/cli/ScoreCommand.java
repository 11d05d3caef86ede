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

    @Option(names = "--text", required = true, description = "UTF-8 text; every character (code point) is a step.")
    Path text;

    @Option(names = "--out", required = true, description = "Where to write the JSON lines.")
    Path out;

    @Option(names = "--top-k", defaultValue = "3", description = "Most likely next symbols per line.")
    int topK;

    @Override
    public Integer call() throws Exception {
        if (topK < 0) {
            throw new UserInputException("--top-k: expected >= 0");
        }
        ModelFile file;
        try {
            file = ModelFile.read(model);
        } catch (java.io.IOException e) {
            throw new UserInputException("--model: " + e.getMessage());
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
}
