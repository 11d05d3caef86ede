package org.okrtrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the tools assume without being told: working directories, help text, savepoint forms, misuse of local. */
class ToolDefaultsTest {

    @Test
    void brokerAndClusterDirectoriesDefaultToAPerUserStateDirectoryShownInHelp() {
        String state = Okrtrl.stateDirectory();
        assertFalse(Path.of(state).toAbsolutePath().startsWith(Path.of("").toAbsolutePath()),
                state + " must not lie under the working directory");
        for (String[] command : new String[][] {{"kafka", "--help"}, {"cluster", "--help"}, {"flink", "--help"}}) {
            CliRun help = CliRun.execute(command);
            assertEquals(0, help.exitCode());
            assertTrue(help.out().contains(state), command[0] + " --help shows " + state + ":\n" + help.out());
        }
    }

    @Test
    void helpShowsTheDefaultOfEveryOptionThatHasOne() {
        CliRun help = CliRun.execute("local", "--help");
        assertTrue(help.out().contains("Default: 30000"), help.out());
        assertTrue(help.out().contains("Default: forecast") || help.out().contains("Default: regress"), help.out());
    }

    @Test
    void aSavepointIsAcceptedAsAPathOrInTheFileUriFormFlinkPrints(@TempDir Path dir) throws Exception {
        Path savepoint = Files.createDirectory(dir.resolve("savepoint-1a2b"));
        String expected = savepoint.toUri().toString();
        assertEquals(expected, ExportModelCommand.savepointLocation(savepoint.toString()));
        assertEquals(expected, ExportModelCommand.savepointLocation("file:" + savepoint));
        assertEquals(expected, ExportModelCommand.savepointLocation("file://" + savepoint));
        assertEquals("s3://bucket/savepoints/x", ExportModelCommand.savepointLocation("s3://bucket/savepoints/x"));
        UserInputException missing = assertThrows(UserInputException.class,
                () -> ExportModelCommand.savepointLocation("file:" + dir.resolve("absent")));
        assertTrue(missing.getMessage().contains("no such directory"), missing.getMessage());
    }

    @Test
    void localRefusesRealValuedStepsWithoutASeries() {
        CliRun run = CliRun.execute("local", "--real-inputs", "1", "--real-outputs", "1");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--series"), run.err());
    }

    @Test
    void aSeriesNeedsItsTargetAndRefusesSymbolFlags(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("s.csv");
        Files.writeString(csv, "date,value\n2020-01-01,1\n2020-01-02,2\n2020-01-03,3\n");
        CliRun noTarget = CliRun.execute("local", "--series", csv.toString());
        assertEquals(2, noTarget.exitCode());
        assertTrue(noTarget.err().contains("--target"), noTarget.err());
        CliRun vocab = CliRun.execute("local", "--series", csv.toString(), "--target", "value", "--vocab", "chars:ab");
        assertEquals(2, vocab.exitCode());
        assertTrue(vocab.err().contains("--vocab applies to symbol streams only"), vocab.err());
        CliRun unknown = CliRun.execute("local", "--series", csv.toString(), "--target", "price");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("no such column"), unknown.err());
    }
}
