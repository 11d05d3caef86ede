package org.okrtrl.operators;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The JSON the job writes: predictions and dead letters. NaN is written as null. */
public final class JsonCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonCodec() {}

    public static byte[] prediction(Prediction p) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("key", p.key);
        o.put("seq", p.seq);
        o.put("position", p.position);
        if (p.symbol != null) {
            o.put("symbol", p.symbol);
            number(o, "surprise_bits", p.surpriseBits);
        } else {
            number(o, "loss", p.loss);
        }
        number(o, "running_bits", p.runningBits);
        if (p.topSymbols != null) {
            ArrayNode top = o.putArray("top");
            for (int i = 0; i < p.topSymbols.length; i++) {
                ObjectNode entry = top.addObject();
                entry.put("symbol", p.topSymbols[i]);
                entry.put("p", p.topProbabilities[i]);
            }
        }
        if (p.output != null) {
            ArrayNode outputs = o.putArray("output");
            for (double v : p.output) {
                outputs.add(v);
            }
        }
        o.put("model_steps", p.modelSteps);
        if (p.modelReset) {
            o.put("model_reset", true);
        }
        return bytes(o);
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

    private static void number(ObjectNode o, String field, double value) {
        if (Double.isFinite(value)) {
            o.put(field, value);
        } else {
            o.putNull(field);
        }
    }

    private static byte[] bytes(ObjectNode o) {
        try {
            return MAPPER.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode JSON", e);
        }
    }
}
