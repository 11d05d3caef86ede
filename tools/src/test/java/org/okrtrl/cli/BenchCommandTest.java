package org.okrtrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code bench}'s subcommands and the flags that select the same measurements: both reach the
 * same code and print the same thing, and bad values are refused with the option's name. (What
 * the measurements are worth is docs/PERFORMANCE.md's business, not a unit test's.)
 */
class BenchCommandTest {
    @Test
    void stateBytesAsSubcommandAndAsFlagPrintTheSameTable() {
        CliRun sub = CliRun.execute("bench", "state-bytes", "--algo", "ok:2", "--cell", "rhn", "--hidden", "8", "--vocab", "10");
        CliRun flag = CliRun.execute("bench", "--state-bytes", "--algo", "ok:2", "--cell", "rhn", "--hidden", "8", "--vocab", "10");
        assertEquals(0, sub.exitCode(), sub.err());
        assertTrue(sub.out().contains("| ok:2 | rhn | 8 | 10 |"), sub.out());
        assertEquals(sub.out(), flag.out());
    }

    @Test
    void everySubcommandIsListed() {
        CliRun help = CliRun.execute("bench", "--help");
        for (String sub : new String[] {"step", "pipeline", "peak", "state-bytes", "decompositions", "kernels"}) {
            assertTrue(help.out().contains("  " + sub + " "), "bench --help lists " + sub + ":\n" + help.out());
        }
    }

    @Test
    void badValuesNameTheirOption() {
        CliRun steps = CliRun.execute("bench", "step", "--algo", "ok:2", "--steps", "10");
        assertNotEquals(0, steps.exitCode());
        assertTrue(steps.err().contains("--steps"), steps.err());
        CliRun timed = CliRun.execute("bench", "step", "--algo", "ok:2", "--timed-seconds", "-1");
        assertNotEquals(0, timed.exitCode());
        assertTrue(timed.err().contains("--timed-seconds"), timed.err());
        CliRun cell = CliRun.execute("bench", "state-bytes", "--cell", "lstm");
        assertNotEquals(0, cell.exitCode());
        assertTrue(cell.err().contains("--cell"), cell.err());
        CliRun kernels = CliRun.execute("bench", "kernels", "--iterations", "0");
        assertNotEquals(0, kernels.exitCode());
        assertTrue(kernels.err().contains("--iterations"), kernels.err());
        CliRun warmUp = CliRun.execute("bench", "pipeline", "--warm-up-seconds", "0");
        assertNotEquals(0, warmUp.exitCode());
        assertTrue(warmUp.err().contains("--warm-up-seconds"), warmUp.err());
    }

}
