package org.okrtrl.operators;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The JSON the job writes: predictions and dead letters. NaN is written as null. */
public final class JsonCodec {
    /**
     * Doubles are written with Jackson's fast writer (Schubfach, Giulietti 2020): the shortest text
     * that reads back as the same double, as Double.toString from Java 19 on; Java 17's
     * Double.toString took a quarter of writing a prediction.
     */
    private static final ObjectMapper MAPPER = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build());

    private JsonCodec() {}

    /** The fields of a real-valued prediction: what it forecasts, the forecast, and the error it scored. */
    private static void realFields(JsonGenerator g, Prediction p) throws java.io.IOException {
        g.writeNumberField("forecast_seq", p.forecastSeq);
        if (p.targets != null) {
            g.writeArrayFieldStart("targets");
            for (String t : p.targets) {
                g.writeString(t);
            }
            g.writeEndArray();
        }
        g.writeArrayFieldStart("output");
        for (double v : p.output) {
            number(g, v);
        }
        g.writeEndArray();
        number(g, "squared_error", p.squaredError);
        number(g, "running_squared_error", p.runningSquaredError);
    }

    /**
     * A prediction as JSON, written field by field with a streaming generator (one per record: the
     * job writes one per event, and building a tree first cost the training thread about 4% of
     * its time).
     */
    public static byte[] prediction(Prediction p) {
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream(256);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(buffer)) {
            g.writeStartObject();
            g.writeStringField("key", p.key);
            g.writeNumberField("seq", p.seq);
            g.writeNumberField("position", p.position);
            if (p.output != null) {
                realFields(g, p);
            } else {
                g.writeStringField("symbol", p.symbol);
                number(g, "surprise_bits", p.surpriseBits);
                number(g, "running_bits", p.runningBits);
            }
            if (p.topSymbols != null) {
                g.writeArrayFieldStart("top");
                for (int i = 0; i < p.topSymbols.length; i++) {
                    g.writeStartObject();
                    g.writeStringField("symbol", p.topSymbols[i]);
                    g.writeNumberField("p", p.topProbabilities[i]);
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeNumberField("model_steps", p.modelSteps);
            if (p.modelReset) {
                g.writeBooleanField("model_reset", true);
            }
            g.writeEndObject();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot encode JSON", e);
        }
        return buffer.toByteArray();
    }

    private static void number(JsonGenerator g, double value) throws java.io.IOException {
        if (Double.isFinite(value)) {
            g.writeNumber(value);
        } else {
            g.writeNull();
        }
    }

    private static void number(JsonGenerator g, String field, double value) throws java.io.IOException {
        if (Double.isFinite(value)) {
            g.writeNumberField(field, value);
        } else {
            g.writeNullField(field);
        }
    }

    /**
     * A dead letter as JSON: reason, origin, and per part (key, value) the kept prefix in base64,
     * the full length, the SHA-256 of the whole and whether the prefix is all of it.
     */
    public static byte[] deadLetter(DeadLetter d) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("reason", d.reason);
        o.put("topic", d.topic);
        o.put("partition", d.partition);
        o.put("offset", d.offset);
        part(o, "key", d.key, d.keyLength, d.keySha256);
        part(o, "value", d.value, d.valueLength, d.valueSha256);
        return bytes(o);
    }

    private static void part(ObjectNode o, String name, byte[] prefix, int length, String sha256) {
        if (prefix == null) {
            return;
        }
        o.put(name + "_base64", Base64.getEncoder().encodeToString(prefix));
        int full = length >= 0 ? length : prefix.length;
        o.put(name + "_length", full);
        if (sha256 != null) {
            o.put(name + "_sha256", sha256);
        }
        o.put(name + "_truncated", prefix.length < full);
    }

    public static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ObjectNode o) {
        try {
            return MAPPER.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode JSON", e);
        }
    }
}
