package org.okrtrl.operators;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

/**
 * Fuzzing of the parse function and the dead-letter path (jqwik): for any key and value bytes,
 * JSON-ish or not, the function emits exactly one of a step batch or a dead letter, never
 * throws, and every dead letter's JSON stays under the size bound.
 */
class ParserFuzzTest {
    private static final int MAX_BYTES = 1024;
    /** Two base64 prefixes, the hashes, a bounded reason and the origin fields. */
    private static final int BOUND = 2 * (4 * MAX_BYTES / 3 + 4) + 2 * 64 + 2 * DeadLetter.MAX_REASON_CHARS + 512;

    private static final RecordParser SYMBOLS = new RecordParser(RecordParser.InputFormat.JSON,
            Vocabulary.parse("chars:abc"), 0, 0, 4096, 100, 256);
    private static final RecordParser REAL = new RecordParser(RecordParser.InputFormat.JSON, null, 2, 1, 4096, 100,
            256);

    @Provide
    Arbitrary<byte[]> values() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(6000);
        Arbitrary<String> fields = Arbitraries.of("\"seq\"", "\"text\"", "\"tokens\"", "\"x\"", "\"y\"", "\"reset\"",
                "1", "-1", "1e400", "NaN", "null", "true", "\"abc\"", "[", "]", "{", "}", ":", ",", "[1, 2]",
                "9223372036854775807", "\"\\ud800\"", "\"a\\u0000b\"");
        Arbitrary<byte[]> jsonish = fields.list().ofMaxSize(40)
                .map(parts -> String.join("", parts).getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> wellFormed = Combinators.combine(Arbitraries.longs(), Arbitraries.strings().ofMaxLength(200))
                .as((seq, text) -> ("{\"seq\": " + seq + ", \"text\": " + quote(text) + "}")
                        .getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(random, jsonish, wellFormed);
    }

    @Provide
    Arbitrary<byte[]> keys() {
        return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(2000),
                Arbitraries.just((byte[]) null), Arbitraries.strings().ofMaxLength(300)
                        .map(s -> s.getBytes(StandardCharsets.UTF_8)));
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            sb.append(c == '"' || c == '\\' || c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.append('"').toString();
    }

    @Property
    void anyRecordGivesOneBatchOrOneBoundedDeadLetter(@ForAll("keys") byte[] key, @ForAll("values") byte[] value)
            throws Exception {
        for (RecordParser parser : List.of(SYMBOLS, REAL)) {
            try (var h = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(
                    new ParseFunction(parser, MAX_BYTES)))) {
                h.open();
                h.processElement(new StreamRecord<>(new RawRecord(key, value, "in", 0, 1, 0)));
                List<DeadLetter> letters = new ArrayList<>();
                var side = h.getSideOutput(ParseFunction.DEAD_LETTERS);
                if (side != null) {
                    side.forEach(r -> letters.add(r.getValue()));
                }
                int batches = h.extractOutputValues().size();
                assertTrue(batches + letters.size() == 1, "one output per record, got " + batches + " + "
                        + letters.size());
                for (DeadLetter d : letters) {
                    int size = JsonCodec.deadLetter(d).length;
                    assertTrue(size <= BOUND, "dead letter of " + size + " bytes exceeds " + BOUND);
                }
            }
        }
    }
}
