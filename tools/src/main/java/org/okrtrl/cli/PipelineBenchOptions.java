package org.okrtrl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.okrtrl.job.config.JobConfig;
import org.okrtrl.local.PipelineBench;
import picocli.CommandLine.Option;

/** The options of {@code bench pipeline} (and {@code bench --pipeline}), and running it. */
final class PipelineBenchOptions {
    @Option(names = "--pipeline", description = "Measure the whole pipeline (in-process broker, MiniCluster with one "
            + "task slot, exactly-once sinks, shared model) against the learner alone.")
    boolean pipeline;

    @Option(names = "--events", defaultValue = "400000",
            description = "--pipeline: events in the measured throughput run (a run of a quarter as many warms up first).")
    long events;

    @Option(names = "--warm-up-seconds", defaultValue = "120",
            description = "--pipeline: the longest the uncounted first run goes on; it ends earlier once the JIT has "
                    + "settled (under 5%% of a core compiling over 5 s) after at least a quarter of --events.")
    int warmUpSeconds;

    @Option(names = "--keys", defaultValue = "16", description = "--pipeline: stream keys.")
    int keys;

    @Option(names = "--chars-per-record", defaultValue = "20", description = "--pipeline: events per input record.")
    int charsPerRecord;

    @Option(names = "--checkpoint-intervals", split = ",", defaultValue = "PT1S,PT0.2S,PT5S",
            description = "--pipeline: checkpoint intervals (ISO-8601); the throughput run uses the first, the "
                    + "latency runs each.")
    List<Duration> checkpointIntervals;

    @Option(names = "--state-backend", defaultValue = "hashmap", description = "--pipeline: hashmap or rocksdb.")
    String stateBackend;

    @Option(names = "--latency-seconds", defaultValue = "20", description = "--pipeline: length of each latency run.")
    int latencySeconds;

    @Option(names = "--latency-load", defaultValue = "0.5",
            description = "--pipeline: offered rate in the latency runs, as a fraction of the measured throughput.")
    double latencyLoad;

    @Option(names = "--events-per-second",
            description = "--pipeline: offered rate in the latency runs, in events per second (instead of --latency-load).")
    Double eventsPerSecond;

    @Option(names = "--predictions-delivery", defaultValue = "exactly-once",
            description = "--pipeline: how the job writes its predictions: exactly-once (visible at each checkpoint) "
                    + "or at-least-once (visible when written).")
    String predictionsDelivery;

    int run(String algo, String cell, Integer hidden, String precision, boolean json, PrintWriter out)
            throws Exception {
        if (events < 10_000 || keys < 1 || charsPerRecord < 1 || checkpointIntervals.isEmpty()
                || !(latencyLoad > 0 && latencyLoad <= 1) || latencySeconds < 5 || warmUpSeconds < 1
                || (eventsPerSecond != null && !(eventsPerSecond > 0))) {
            throw new UserInputException("--pipeline: expected --events >= 10000, --keys >= 1, --chars-per-record "
                    + ">= 1, --latency-load in (0, 1], --latency-seconds >= 5, --warm-up-seconds >= 1, --events-per-second > 0");
        }
        List<String> args = new ArrayList<>(List.of("--model", "shared", "--state-backend", stateBackend,
                "--predictions-delivery", predictionsDelivery));
        if (precision != null) {
            args.addAll(List.of("--precision", precision));
        }
        if (algo != null) {
            args.addAll(List.of("--algo", algo));
        }
        if (cell != null) {
            args.addAll(List.of("--cell", cell));
        }
        if (hidden != null) {
            args.addAll(List.of("--hidden", Integer.toString(hidden)));
        }
        JobConfig job;
        try {
            job = JobConfig.fromArgs(args.toArray(String[]::new));
        } catch (RuntimeException e) {
            throw new UserInputException(e.getMessage());
        }
        PipelineBench.Result r = new PipelineBench(new PipelineBench.Options(job, events, keys, charsPerRecord,
                checkpointIntervals, latencyLoad, eventsPerSecond, Duration.ofSeconds(latencySeconds), Duration.ofSeconds(warmUpSeconds),
                System.err)).run();
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("algo", job.algorithm.toString());
        o.put("cell", job.cell.toString());
        o.put("hidden", job.hidden);
        o.put("vocab", job.vocabularyOrNull().size());
        o.put("precision", job.effectivePrecision().label());
        o.put("keys", keys);
        o.put("batch_events", job.batchEvents);
        o.put("events_per_second", Math.round(r.eventsPerSecond()));
        o.put("compute_only_events_per_second", Math.round(r.computeOnlyEventsPerSecond()));
        o.put("compute_only_before_events_per_second", Math.round(r.computeOnlyBeforeEventsPerSecond()));
        o.put("compute_only_after_events_per_second", Math.round(r.computeOnlyAfterEventsPerSecond()));
        o.put("ratio_to_compute_only", r.eventsPerSecond() / r.computeOnlyEventsPerSecond());
        o.put("task_cpu_us_per_event", r.taskCpuSecondsPerEvent() * 1e6);
        o.put("compute_only_cpu_us_per_event", r.computeOnlyCpuSecondsPerEvent() * 1e6);
        o.put("jit_cores_during_run", r.jitCoresMeasured());
        o.put("warm_up_seconds", r.warmUp().seconds());
        o.put("warm_up_events_per_second", Math.round(r.warmUp().eventsPerSecond()));
        o.put("warm_up_jit_cores_at_end", r.warmUp().jitCoresAtEnd());
        o.put("checkpoint_interval_ms", r.checkpointIntervalMillis());
        o.put("state_backend", r.stateBackend());
        o.put("checkpoints_completed", r.checkpoints().completed());
        o.put("checkpoint_p50_ms", r.checkpoints().p50DurationMillis());
        o.put("checkpoint_p50_bytes", r.checkpoints().p50StateBytes());
        o.put("predictions_delivery", org.okrtrl.job.config.Choices.label(job.predictionsDelivery()));
        PipelineBench.Latency first = r.latencies().get(0);
        o.put("latency_p50_ms", first.p50Millis());
        o.put("latency_p99_ms", first.p99Millis());
        ArrayNode all = o.putArray("latencies");
        for (PipelineBench.Latency l : r.latencies()) {
            ObjectNode n = all.addObject();
            n.put("checkpoint_interval_ms", l.checkpointIntervalMillis());
            n.put("offered_events_per_second", Math.round(l.eventsPerSecondOffered()));
            n.put("events", l.events());
            n.put("p50_ms", l.p50Millis());
            n.put("p99_ms", l.p99Millis());
        }
        if (json) {
            out.println(o.toString());
        } else {
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(o));
        }
        out.flush();
        return 0;
    }
}
