package org.okrtrl.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The streamed prediction JSON against the same fields built as a Jackson tree. */
class JsonCodecTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void streamedPredictionEqualsTheTreeOfItsFields(int kind) throws Exception {
        Prediction p = new Prediction();
        p.key = "stream \"7\" \u00e9";
        p.seq = 12345678901L;
        p.position = 42;
        p.runningBits = kind == 3 ? Double.NaN : 2.718281828459045;
        p.modelSteps = 99;
        if (kind == 0 || kind == 3) {
            p.symbol = "a\nb";
            p.surpriseBits = kind == 3 ? Double.POSITIVE_INFINITY : 1.0e-300;
            p.topSymbols = new String[] {"x", "y"};
            p.topProbabilities = new double[] {0.75, 0.125};
        } else {
            p.squaredError = kind == 2 ? Double.NaN : -0.0;
            p.runningSquaredError = 0.5;
            p.output = kind == 2 ? new double[] {1.5, -2.25e17, Double.MIN_VALUE, Double.NaN} : new double[0];
            p.targets = kind == 2 ? new String[] {"a", "b\"", "c", "d"} : null;
            p.forecastSeq = p.seq + 1;
            p.modelReset = kind == 2;
        }
        String streamed = new String(JsonCodec.prediction(p), StandardCharsets.UTF_8);
        assertEquals(MAPPER.writeValueAsString(tree(p)), streamed);
        JsonNode parsed = MAPPER.readTree(streamed);
        assertEquals(p.seq, parsed.get("seq").asLong());
    }

    /**
     * The fast double writer: every written double reads back as itself, in no more characters
     * than Double.toString, over random bit patterns and probabilities.
     */
    @org.junit.jupiter.api.Test
    void everyDoubleReadsBackAsItselfAndIsNoLongerThanDoubleToString() throws Exception {
        java.util.SplittableRandom random = new java.util.SplittableRandom(17);
        Prediction p = new Prediction();
        p.key = "k";
        p.symbol = "a";
        p.topSymbols = new String[1000];
        java.util.Arrays.fill(p.topSymbols, "s");
        p.topProbabilities = new double[1000];
        for (int round = 0; round < 40; round++) {
            for (int i = 0; i < p.topProbabilities.length; i++) {
                double v = i % 2 == 0 ? random.nextDouble() : Double.longBitsToDouble(random.nextLong());
                p.topProbabilities[i] = Double.isFinite(v) ? v : 0.5;
            }
            p.surpriseBits = p.topProbabilities[0];
            String json = new String(JsonCodec.prediction(p), StandardCharsets.UTF_8);
            int i = 0;
            try (com.fasterxml.jackson.core.JsonParser parser = MAPPER.getFactory().createParser(json)) {
                for (var token = parser.nextToken(); token != null; token = parser.nextToken()) {
                    if (token == com.fasterxml.jackson.core.JsonToken.FIELD_NAME && parser.getCurrentName().equals("p")) {
                        parser.nextToken();
                        String text = parser.getText();
                        assertEquals(p.topProbabilities[i], Double.parseDouble(text), text);
                        org.junit.jupiter.api.Assertions.assertTrue(
                                text.length() <= Double.toString(p.topProbabilities[i]).length(), text);
                        i++;
                    }
                }
            }
            assertEquals(p.topProbabilities.length, i);
        }
    }

    private static ObjectNode tree(Prediction p) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("key", p.key);
        o.put("seq", p.seq);
        o.put("position", p.position);
        if (p.output == null) {
            o.put("symbol", p.symbol);
            number(o, "surprise_bits", p.surpriseBits);
            number(o, "running_bits", p.runningBits);
        } else {
            o.put("forecast_seq", p.forecastSeq);
            if (p.targets != null) {
                ArrayNode targets = o.putArray("targets");
                for (String t : p.targets) {
                    targets.add(t);
                }
            }
            ArrayNode outputs = o.putArray("output");
            for (double v : p.output) {
                if (Double.isFinite(v)) {
                    outputs.add(v);
                } else {
                    outputs.addNull();
                }
            }
            number(o, "squared_error", p.squaredError);
            number(o, "running_squared_error", p.runningSquaredError);
        }
        if (p.topSymbols != null) {
            ArrayNode top = o.putArray("top");
            for (int i = 0; i < p.topSymbols.length; i++) {
                top.addObject().put("symbol", p.topSymbols[i]).put("p", p.topProbabilities[i]);
            }
        }
        o.put("model_steps", p.modelSteps);
        if (p.modelReset) {
            o.put("model_reset", true);
        }
        return o;
    }

    private static void number(ObjectNode o, String field, double value) {
        if (Double.isFinite(value)) {
            o.put(field, value);
        } else {
            o.putNull(field);
        }
    }
}
