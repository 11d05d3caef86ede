package org.okrtrl.operators;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * Validates one raw record and turns it into a {@link StepBatch}, or says exactly why it
 * cannot be used ({@link BadRecordException}). Accepted values (UTF-8 JSON):
 * {@code {"seq": 17, "text": "..."}}, {@code {"seq": 17, "tokens": ["a", "b"]}},
 * {@code {"seq": 17, "x": [..], "y": [..]}}, each with an optional {@code "reset": true}; or, in
 * text mode, the whole value as characters with the Kafka offset as the sequence number.
 */
public final class RecordParser implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How record values are read. */
    public enum InputFormat {
        JSON,
        TEXT
    }

    /** A record that cannot be used; the message is the dead-letter reason. */
    public static final class BadRecordException extends Exception {
        private static final long serialVersionUID = 1L;

        public BadRecordException(String reason) {
            super(reason);
        }
    }

    private final InputFormat format;
    private final Vocabulary vocabulary;
    private final int realInputs;
    private final int realOutputs;
    private final int maxRecordBytes;
    private final int maxSteps;
    private final int maxKeyBytes;
    private transient ObjectMapper mapper;

    /**
     * @param vocabulary the symbol vocabulary, or null when the job trains real-valued steps
     * @param realInputs x's length for real-valued steps (ignored for symbols)
     * @param realOutputs y's length for real-valued steps (ignored for symbols)
     */
    public RecordParser(InputFormat format, Vocabulary vocabulary, int realInputs, int realOutputs,
            int maxRecordBytes, int maxSteps) {
        this(format, vocabulary, realInputs, realOutputs, maxRecordBytes, maxSteps, DEFAULT_MAX_KEY_BYTES);
    }

    /** The default longest stream id, in UTF-8 bytes: predictions echo it. */
    public static final int DEFAULT_MAX_KEY_BYTES = 1024;

    /** @param maxKeyBytes the longest key (stream id) accepted; predictions echo it */
    public RecordParser(InputFormat format, Vocabulary vocabulary, int realInputs, int realOutputs,
            int maxRecordBytes, int maxSteps, int maxKeyBytes) {
        this.maxKeyBytes = maxKeyBytes;
        this.format = format;
        this.vocabulary = vocabulary;
        this.realInputs = realInputs;
        this.realOutputs = realOutputs;
        this.maxRecordBytes = maxRecordBytes;
        this.maxSteps = maxSteps;
    }

    public StepBatch parse(RawRecord record) throws BadRecordException {
        if (record.key == null || record.key.length == 0) {
            throw new BadRecordException("missing record key (the stream id)");
        }
        if (record.key.length > maxKeyBytes) {
            throw new BadRecordException("key of " + record.key.length + " bytes exceeds the limit of " + maxKeyBytes
                    + " (--max-key-bytes)");
        }
        String key = decode(record.key, "record key");
        if (record.value == null) {
            throw new BadRecordException("missing record value");
        }
        if (record.value.length > maxRecordBytes) {
            throw new BadRecordException("value of " + record.value.length + " bytes exceeds the limit of "
                    + maxRecordBytes);
        }
        String text = decode(record.value, "value");
        StepBatch batch = new StepBatch();
        batch.key = key;
        batch.topic = record.topic;
        batch.partition = record.partition;
        batch.offset = record.offset;
        if (format == InputFormat.TEXT) {
            batch.seq = record.offset;
            batch.consecutive = false;
            symbols(batch, text.codePoints().mapToObj(cp -> new String(Character.toChars(cp))).iterator(),
                    text.codePointCount(0, text.length()), "value");
            return batch;
        }
        JsonNode root;
        try {
            root = mapper().readTree(text);
        } catch (IOException e) {
            throw new BadRecordException("invalid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new BadRecordException("value must be a JSON object");
        }
        JsonNode seq = root.get("seq");
        if (seq == null) {
            throw new BadRecordException("missing field 'seq'");
        }
        if (!seq.isIntegralNumber() || !seq.canConvertToLong() || seq.asLong() < 0) {
            throw new BadRecordException("field 'seq' must be a non-negative integer, got " + seq);
        }
        batch.seq = seq.asLong();
        JsonNode reset = root.get("reset");
        if (reset != null && !reset.isBoolean()) {
            throw new BadRecordException("field 'reset' must be true or false, got " + reset);
        }
        batch.reset = reset != null && reset.asBoolean();
        JsonNode textNode = root.get("text");
        JsonNode tokens = root.get("tokens");
        JsonNode x = root.get("x");
        int kinds = (textNode != null ? 1 : 0) + (tokens != null ? 1 : 0) + (x != null || root.has("y") ? 1 : 0);
        if (kinds != 1) {
            throw new BadRecordException("expected exactly one of 'text', 'tokens' or 'x'/'y'");
        }
        if (textNode != null) {
            if (!textNode.isTextual()) {
                throw new BadRecordException("field 'text' must be a string, got " + kind(textNode));
            }
            String s = textNode.asText();
            symbols(batch, s.codePoints().mapToObj(cp -> new String(Character.toChars(cp))).iterator(),
                    s.codePointCount(0, s.length()), "text");
        } else if (tokens != null) {
            if (!tokens.isArray()) {
                throw new BadRecordException("field 'tokens' must be an array of strings, got " + kind(tokens));
            }
            for (JsonNode t : tokens) {
                if (!t.isTextual()) {
                    throw new BadRecordException("field 'tokens' must hold only strings, got " + kind(t));
                }
            }
            Iterator<String> it = new Iterator<>() {
                private final Iterator<JsonNode> nodes = tokens.elements();

                @Override
                public boolean hasNext() {
                    return nodes.hasNext();
                }

                @Override
                public String next() {
                    return nodes.next().asText();
                }
            };
            symbols(batch, it, tokens.size(), "tokens");
        } else {
            if (vocabulary != null) {
                throw new BadRecordException("real-valued step ('x', 'y') but this job trains on symbols");
            }
            batch.x = vector(root, "x", realInputs);
            batch.y = vector(root, "y", realOutputs);
        }
        return batch;
    }

    private void symbols(StepBatch batch, Iterator<String> items, int count, String field) throws BadRecordException {
        if (vocabulary == null) {
            throw new BadRecordException("symbol steps ('" + field + "') but this job trains real-valued steps");
        }
        if (count == 0) {
            throw new BadRecordException("field '" + field + "' has no steps");
        }
        if (count > maxSteps) {
            throw new BadRecordException("field '" + field + "' has " + count + " steps, over the limit of " + maxSteps);
        }
        int[] out = new int[count];
        int unknown = 0;
        for (int i = 0; i < count; i++) {
            int index = vocabulary.lookup(items.next());
            if (index < 0) {
                unknown++;
                index = -1 - index;
            }
            out[i] = index;
        }
        batch.symbols = out;
        batch.unknown = unknown;
    }

    private static double[] vector(JsonNode root, String field, int size) throws BadRecordException {
        JsonNode node = root.get(field);
        if (node == null) {
            throw new BadRecordException("missing field '" + field + "'");
        }
        if (!node.isArray()) {
            throw new BadRecordException("field '" + field + "' must be an array of numbers, got " + kind(node));
        }
        if (node.size() != size) {
            throw new BadRecordException("field '" + field + "' has " + node.size() + " entries, expected " + size);
        }
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            JsonNode v = node.get(i);
            if (!v.isNumber()) {
                throw new BadRecordException("field '" + field + "'[" + i + "] must be a number, got " + kind(v));
            }
            double d = v.asDouble();
            if (!Double.isFinite(d)) {
                throw new BadRecordException("field '" + field + "'[" + i + "] is not finite (" + v.asText() + ")");
            }
            out[i] = d;
        }
        return out;
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + abbreviate(node.toString());
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static String decode(byte[] bytes, String what) throws BadRecordException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BadRecordException(what + " is not valid UTF-8");
        }
    }

    private ObjectMapper mapper() {
        if (mapper == null) {
            // NaN and Infinity literals are read so that they can be rejected with a clear reason.
            mapper = JsonMapper.builder()
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .build();
            mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
        }
        return mapper;
    }
}
