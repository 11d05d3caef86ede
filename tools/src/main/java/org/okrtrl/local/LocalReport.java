package org.okrtrl.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;

/** What {@code bin/okrtrl local} prints at the end, and its {@code --summary-json}. */
final class LocalReport {
    private LocalReport() {}

    /**
     * Prints the summary and, with --summary-json, writes it.
     *
     * @param window the scored steps the start and end figures cover
     * @param steady events trained per second in the steady part of the run (0: unknown)
     * @param exchangeLagMax the largest exchange delay any replica reported (NaN: none)
     */
    static void write(LocalPipeline.Options options, LocalPipeline.Summary s, long window, double steady,
            double exchangeLagMax) throws IOException {
        PrintStream out = options.progress();
        out.printf(Locale.ROOT, "events in:       %,d (%,d records, %,d of them malformed on purpose)%n",
                s.eventsIn(), s.recordsIn() + s.badRecordsIn(), s.badRecordsIn());
        out.printf(Locale.ROOT, "predictions out: %,d%n", s.predictionsOut());
        out.printf(Locale.ROOT, "dead letters:    %,d%n", s.deadLetters());
        if (s.forecast() != null) {
            ForecastSummary.print(out, s.forecast(), LocalPipeline.WINDOW);
        } else {
            out.printf(Locale.ROOT, "bits per char:   %.3f over the first %d scored steps, %.3f over the last %d, "
                    + "%.3f over the tail (last %,d)%n", s.bitsStart(), window, s.bitsEnd(),
                    window, s.bitsTail(), s.tailSteps());
        }
        if (s.firstDeadLetter() != null) {
            out.printf(Locale.ROOT, "first dead letter: %s%n", s.firstDeadLetter());
        }
        out.printf(Locale.ROOT, "elapsed:         %.1f s%n", s.seconds());
        if (steady > 0) {
            out.printf(Locale.ROOT, "training rate:   %,.0f events/s (steady: from 10%% to 90%% of the events trained, "
                    + "the job's own events metric)%n", steady);
        }
        out.printf(Locale.ROOT, "model:           %s, parallelism %d, %,d bytes of state per key%n", options.job().model,
                options.job().parallelism, LocalPipeline.stateBytesPerKey(options.job()));
        LocalPipeline.SharedModelCheck c = s.shared();
        if (c != null) {
            out.printf(Locale.ROOT, "replicas:        %d, max relative difference %.2e, %,d updates published, %,d "
                    + "applied, ledgers %s%n", c.replicas(), c.maxRelativeDifference(), c.updatesPublished(),
                    c.updatesApplied(), c.ledgerProblems().isEmpty() ? "match the model topic" : c.ledgerProblems());
        }
        if (options.summaryJson() != null) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("events_in", s.eventsIn());
            o.put("records_in", s.recordsIn() + s.badRecordsIn());
            o.put("malformed_records_in", s.badRecordsIn());
            o.put("predictions_out", s.predictionsOut());
            o.put("dead_letters", s.deadLetters());
            if (s.forecast() != null) {
                ForecastSummary.put(o, s.forecast(), options.series());
            } else {
                LocalPipeline.putNumber(o, "bits_per_char_start", s.bitsStart());
                LocalPipeline.putNumber(o, "bits_per_char_end", s.bitsEnd());
                LocalPipeline.putNumber(o, "bits_per_char_tail", s.bitsTail());
                o.put("tail_steps", s.tailSteps());
            }
            if (s.firstDeadLetter() != null) {
                o.put("first_dead_letter_reason", s.firstDeadLetter());
            }
            o.put("window", LocalPipeline.WINDOW);
            o.put("seconds", s.seconds());
            o.put("trained_per_second_steady", steady);
            o.put("algorithm", options.job().algorithm.toString());
            o.put("cell", options.job().cell.toString());
            o.put("hidden", options.job().hidden);
            o.put("model", options.job().model.toString());
            o.put("parallelism", options.job().parallelism);
            o.put("keys", options.keys());
            o.put("state_bytes_per_key", LocalPipeline.stateBytesPerKey(options.job()));
            LocalPipeline.SharedModelCheck check = s.shared();
            if (check != null) {
                o.put("replicas", check.replicas());
                LocalPipeline.putNumber(o, "replica_max_relative_difference", check.maxRelativeDifference());
                o.put("model_updates_published", check.updatesPublished());
                o.put("model_updates_applied", check.updatesApplied());
                o.put("ledger_matches_model_topic", check.ledgerProblems().isEmpty());
                LocalPipeline.putNumber(o, "exchange_lag_publications_max", exchangeLagMax);
            }
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(options.summaryJson().toFile(), o);
        }
    }
}
