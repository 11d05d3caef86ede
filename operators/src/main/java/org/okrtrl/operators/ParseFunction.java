package org.okrtrl.operators;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Validates raw records: good ones continue as {@link StepBatch}es, every other one goes to the
 * {@link #DEAD_LETTERS} side output with its bytes, origin and reason. Never fails the job.
 */
public class ParseFunction extends ProcessFunction<RawRecord, StepBatch> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private final RecordParser parser;
    private final int deadLetterMaxBytes;
    private transient Counter deadLetters;

    public ParseFunction(RecordParser parser, int deadLetterMaxBytes) {
        this.parser = parser;
        this.deadLetterMaxBytes = deadLetterMaxBytes;
    }

    @Override
    public void open(OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().addGroup(TrainingMetrics.GROUP).counter("deadLetters");
    }

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<StepBatch> out) {
        StepBatch batch;
        try {
            batch = parser.parse(record);
        } catch (RecordParser.BadRecordException e) {
            deadLetters.inc();
            ctx.output(DEAD_LETTERS, new DeadLetter(record, e.getMessage(), deadLetterMaxBytes));
            return;
        } catch (RuntimeException e) {
            // Whatever else a record triggers, it is the record's fault: keep the job alive.
            deadLetters.inc();
            ctx.output(DEAD_LETTERS, new DeadLetter(record, "unreadable record: " + e, deadLetterMaxBytes));
            return;
        }
        out.collect(batch);
    }
}
