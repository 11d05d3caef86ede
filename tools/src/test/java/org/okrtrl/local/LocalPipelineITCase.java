package org.okrtrl.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.okrtrl.job.config.JobConfig;

/** {@code bin/okrtrl local}'s pipeline: broker, MiniCluster, producer and monitor in one JVM. */
class LocalPipelineITCase {
    @TempDir
    Path tmp;

    @Test
    void streamsTheCorpusAndAccountsForEveryEvent() throws Exception {
        JobConfig job = JobConfig.fromArgs("--algo", "ok:4", "--cell", "rhn", "--hidden", "32",
                "--vocab", "chars:abcdefghijklmnopqrstuvwxyz .", "--learning-rate", "0.001",
                "--checkpoint-interval", "PT1S", "--parallelism", "2", "--batch-events", "4",
                // The pipeline is under test, not the defaults: the initialisation that learns fastest in 8,000 events.
                "--init-scale", "fan-in", "--carry-bias", "1");
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Path summaryFile = tmp.resolve("summary.json");
        LocalPipeline.Summary summary = new LocalPipeline(new LocalPipeline.Options(job, null, 8000, 2, 40, 0.05,
                summaryFile, new PrintStream(progress, true, StandardCharsets.UTF_8))).run();

        assertEquals(8000, summary.eventsIn());
        assertEquals(summary.eventsIn(), summary.predictionsOut(), "one prediction per event");
        assertTrue(summary.badRecordsIn() > 0, "some malformed records were sent");
        assertEquals(summary.badRecordsIn(), summary.deadLetters(), "every malformed record is dead-lettered");
        assertTrue(summary.bitsEnd() < summary.bitsStart() - 0.5,
                "learning: " + summary.bitsStart() + " -> " + summary.bitsEnd() + " bits per character");
        String printed = progress.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("events in") && printed.contains("bits/char") && printed.contains("dead letters"));
        String json = java.nio.file.Files.readString(summaryFile);
        assertTrue(json.contains("\"predictions_out\" : 8000"), json);
        assertTrue(json.contains("\"model\" : \"shared\"") && json.contains("\"ledger_matches_model_topic\" : true"),
                json);
        assertTrue(summary.shared().maxRelativeDifference() < 1e-9, "replicas agree: " + json);
    }
}
