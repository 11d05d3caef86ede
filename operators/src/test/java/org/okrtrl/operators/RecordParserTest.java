package org.okrtrl.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Record validation and the vocabulary forms. */
class RecordParserTest {
    private final Vocabulary abc = Vocabulary.parse("chars:abc");
    private final RecordParser symbols = new RecordParser(RecordParser.InputFormat.JSON, abc, 0, 0, 256, 50);
    private final RecordParser real = new RecordParser(RecordParser.InputFormat.JSON, null, 2, 1, 256, 50);

    @Test
    void textTokensAndRealSteps() throws Exception {
        StepBatch text = symbols.parse(raw("k", "{\"seq\": 4, \"text\": \"abz\", \"reset\": true}"));
        assertEquals("k", text.key);
        assertEquals(4, text.seq);
        assertTrue(text.reset);
        assertArrayEquals(new int[] {0, 1, 3}, text.symbols, "z is <unk>, index 3");
        assertEquals(1, text.unknown);
        StepBatch tokens = symbols.parse(raw("k", "{\"seq\": 5, \"tokens\": [\"c\", \"a\"]}"));
        assertArrayEquals(new int[] {2, 0}, tokens.symbols);
        StepBatch step = real.parse(raw("k", "{\"seq\": 1, \"x\": [0.5, -1], \"y\": [2]}"));
        assertArrayEquals(new double[] {0.5, -1}, step.x, 0.0);
        assertArrayEquals(new double[] {2}, step.y, 0.0);
        RecordParser plain = new RecordParser(RecordParser.InputFormat.TEXT, abc, 0, 0, 256, 50);
        RawRecord r = raw("k", "cab");
        r.offset = 42;
        StepBatch t = plain.parse(r);
        assertEquals(42, t.seq, "text mode numbers records by their offset");
        assertTrue(!t.consecutive && text.consecutive, "offsets skip other keys' records: no gap accounting");
        assertArrayEquals(new int[] {2, 0, 1}, t.symbols);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{\"seq\": 1, \"text\": \"abc\", \"tokens\": [\"a\"]} | exactly one of",
        "{\"seq\": -1, \"text\": \"a\"}                       | non-negative integer",
        "{\"seq\": 1.5, \"text\": \"a\"}                      | non-negative integer",
        "{\"seq\": 1, \"text\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"} | over the limit of 50",
        "{\"seq\": 1, \"seq\": 2, \"text\": \"a\"}            | invalid JSON",
        "{\"seq\": 1, \"text\": \"a\"} trailing               | invalid JSON"
    })
    void rejectsWithAReason(String value, String reason) {
        RecordParser.BadRecordException e =
                assertThrows(RecordParser.BadRecordException.class, () -> symbols.parse(raw("k", value)));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void vocabularies() {
        assertEquals(96, Vocabulary.parse("chars:ascii").size(), "95 printable characters and <unk>");
        Vocabulary tokens = Vocabulary.parse("tokens:login,view,logout");
        assertEquals(4, tokens.size());
        assertEquals(1, tokens.lookup("view"));
        assertEquals(-1 - 3, tokens.lookup("buy"));
        Vocabulary hashed = Vocabulary.parse("hash:16");
        assertEquals(16, hashed.size());
        assertEquals(hashed.lookup("view:42"), hashed.lookup("view:42"));
        assertTrue(hashed.lookup("anything") >= 0);
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.parse("hash:1"));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.parse("words:a"));
    }

    private static RawRecord raw(String key, String value) {
        return new RawRecord(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), "t", 0, 7, 0);
    }
}
