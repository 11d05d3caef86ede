package org.okrtrl.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.okrtrl.job.config.JobConfig;
import org.okrtrl.operators.TrainingConfig;
import org.okrtrl.operators.Vocabulary;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The restore table of docs/OPERATIONS.md ("Changing settings on a restore") names every flag
 * once, each row's tests exist, and the flags this test stands for leave the training
 * operator's configuration (everything its state depends on) as it was.
 */
class RestoreTableTest {
    private static final Path DOC = Path.of("../docs/OPERATIONS.md");

    /** A changed value for every flag the training state never sees. */
    private static final Map<String, String[]> OUTSIDE_THE_TRAINING_STATE = Map.ofEntries(
            Map.entry("--model-topic", new String[] {"other-model"}),
            Map.entry("--input-topic", new String[] {"other-input"}),
            Map.entry("--group-id", new String[] {"other-group"}),
            Map.entry("--starting-offsets", new String[] {"earliest"}),
            Map.entry("--bootstrap-servers", new String[] {"other:9092"}),
            Map.entry("--kafka-property", new String[] {"client.id=other"}),
            Map.entry("--predictions-topic", new String[] {"other-predictions"}),
            Map.entry("--dead-letter-topic", new String[] {"other-dead-letters"}),
            Map.entry("--delivery-guarantee", new String[] {"at-least-once"}),
            Map.entry("--predictions-delivery", new String[] {"at-least-once"}),
            Map.entry("--dead-letter-delivery", new String[] {"none"}),
            Map.entry("--buffer-timeout", new String[] {"20ms"}),
            Map.entry("--transaction-timeout", new String[] {"5min"}),
            Map.entry("--transactional-id-prefix", new String[] {"other"}),
            Map.entry("--input-format", new String[] {"text"}),
            Map.entry("--max-record-bytes", new String[] {"1000"}),
            Map.entry("--max-steps-per-record", new String[] {"10"}),
            Map.entry("--max-key-bytes", new String[] {"100"}),
            Map.entry("--checkpoint-interval", new String[] {"3s"}),
            Map.entry("--checkpoint-dir", new String[] {"file:///tmp/other"}),
            Map.entry("--state-backend", new String[] {"rocksdb"}),
            Map.entry("--parallelism", new String[] {"3"}),
            Map.entry("--max-parallelism", new String[] {"256"}));

    /** Row: flags, what a restore does, the tests named. */
    private record Row(List<String> flags, String outcome, List<String> tests) {}

    private static List<Row> table() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int start = doc.indexOf("### Changing settings on a restore");
        assertTrue(start >= 0, "docs/OPERATIONS.md has the restore table");
        int header = doc.indexOf("| setting | on restore | tested by |", start);
        List<Row> rows = new ArrayList<>();
        for (String line : doc.substring(header).split("\n")) {
            if (!line.startsWith("|")) {
                break;
            }
            String[] cells = line.split("\\|");
            if (cells.length < 4 || cells[1].contains("setting") || cells[1].startsWith("---")) {
                continue;
            }
            List<String> flags = new ArrayList<>();
            Matcher m = Pattern.compile("`(--[a-z0-9-]+)`").matcher(cells[1]);
            while (m.find()) {
                flags.add(m.group(1));
            }
            List<String> tests = Stream.of(cells[3].split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
            rows.add(new Row(flags, cells[2].trim(), tests));
        }
        return rows;
    }

    @Test
    void everyFlagHasExactlyOneRowAndEveryNamedTestExists() throws IOException {
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (Row row : table()) {
            assertFalse(row.flags().isEmpty(), "a row names its flags: " + row);
            assertFalse(row.tests().isEmpty(), "a row names its tests: " + row);
            for (String flag : row.flags()) {
                seen.merge(flag, 1, Integer::sum);
            }
            for (String test : row.tests()) {
                assertTrue(testSourceExists(test), test + " (named for " + row.flags() + ") exists");
            }
        }
        CommandSpec spec = CommandSpec.forAnnotatedObject(new JobConfig());
        for (OptionSpec option : spec.options()) {
            assertEquals(1, seen.getOrDefault(option.longestName(), 0), option.longestName() + " has exactly one row");
        }
        assertEquals(spec.options().size(), seen.size(), "no row names a flag the job does not have: " + seen.keySet());
    }

    @Test
    void theFlagsThisTestStandsForLeaveTheTrainingConfigurationAlone() throws Exception {
        TrainingConfig base = JobConfig.fromArgs().trainingConfig();
        int checked = 0;
        for (Row row : table()) {
            if (!row.tests().contains("RestoreTableTest")) {
                continue;
            }
            for (String flag : row.flags()) {
                String[] value = OUTSIDE_THE_TRAINING_STATE.get(flag);
                assertTrue(value != null, flag + " has a changed value here");
                TrainingConfig changed = JobConfig.fromArgs(flag, value[0]).trainingConfig();
                assertSameTraining(base, changed, flag);
                checked++;
            }
        }
        assertEquals(OUTSIDE_THE_TRAINING_STATE.size(), checked, "every flag outside the training state is in the table");
        // The learning settings do change it: the check above could fail.
        assertFalse(sameTraining(base, JobConfig.fromArgs("--hidden", "16").trainingConfig()));
        assertFalse(sameTraining(base, JobConfig.fromArgs("--vocab", "chars:abc").trainingConfig()));
    }

    private static void assertSameTraining(TrainingConfig a, TrainingConfig b, String flag) throws Exception {
        assertTrue(sameTraining(a, b), flag + " leaves the training operator's configuration alone");
    }

    /** Component by component; vocabularies by their symbols, arrays by content. */
    private static boolean sameTraining(TrainingConfig a, TrainingConfig b) throws Exception {
        for (RecordComponent c : TrainingConfig.class.getRecordComponents()) {
            Object x = c.getAccessor().invoke(a);
            Object y = c.getAccessor().invoke(b);
            boolean same = x instanceof Vocabulary vx && y instanceof Vocabulary vy ? vx.spec().equals(vy.spec())
                    && vx.size() == vy.size()
                    : x instanceof double[][] ax && y instanceof double[][] ay ? java.util.Arrays.deepEquals(ax, ay)
                    : java.util.Objects.equals(x, y);
            if (!same) {
                return false;
            }
        }
        return true;
    }

    private static boolean testSourceExists(String name) throws IOException {
        try (Stream<Path> files = Files.walk(Path.of(".."), 12)) {
            return files.anyMatch(p -> p.toString().contains("/src/test/") && p.getFileName().toString()
                    .equals(name + ".java"));
        }
    }
}
