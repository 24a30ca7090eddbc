package io.llmslo.slo;

import io.llmslo.event.RecordGuard;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Runs on every subtask that produces observations (chained to it, no shuffle before it): fans
 * each observation out to its cohorts and folds it into {@link PartialBuckets}. Partials leave as
 * one {@link PartialBatch} per (slo, cohort, history interval) when the watermark passes the
 * interval's end (evaluations happen only there, so holding a minute until then changes nothing
 * downstream), before a checkpoint barrier (so no partial is ever in a checkpoint: exactly-once
 * needs no operator state here), at the end of input, and all at once when over the bound.
 *
 * <p>It also reports this subtask's latest observation time, rounded up to the history
 * interval, on {@link #PROGRESS} each time it moves on: at most once per interval of event time,
 * so finding the common end of a bounded run needs no single-task funnel.
 */
public class LocalAggregationOperator extends AbstractStreamOperator<PartialBatch>
        implements OneInputStreamOperator<Observation, PartialBatch> {

    public static final OutputTag<Long> PROGRESS = new OutputTag<>("observation-progress", TypeInformation.of(Long.class));

    /** Open (slo, cohort, minute) partials per subtask before an early flush: a few minutes of every series. */
    static final int MAX_OPEN = 50_000;

    private final CohortKeys cohorts;
    private final Set<String> sketched;
    private final long interval;
    private final int maxOpen;

    private transient PartialBuckets partials;
    private transient long reportedEnd;
    private transient StreamRecord<PartialBatch> reuse;
    private transient java.util.function.Consumer<PartialBatch> emit;

    public LocalAggregationOperator(CohortKeys cohorts, Set<String> sketched, long intervalMs) {
        this(cohorts, sketched, intervalMs, MAX_OPEN);
    }

    LocalAggregationOperator(CohortKeys cohorts, Set<String> sketched, long intervalMs, int maxOpen) {
        this.cohorts = cohorts;
        this.sketched = Set.copyOf(sketched);
        this.interval = intervalMs;
        this.maxOpen = maxOpen;
    }

    @Override
    public void open() throws Exception {
        super.open();
        partials = new PartialBuckets(cohorts, sketched, maxOpen, interval);
        reportedEnd = Long.MIN_VALUE;
        reuse = new StreamRecord<>(null);
        emit = this::emit;
    }

    @Override
    public void processElement(StreamRecord<Observation> element) throws Exception {
        Observation o = element.getValue();
        long end = TimeBuckets.endOf(o.t(), interval);
        if (end > reportedEnd) {
            reportedEnd = end;
            output.collect(PROGRESS, new StreamRecord<>(end));
        }
        boolean over;
        try {
            over = partials.add(o);
        } catch (RuntimeException e) {
            // the guard only on failure: no payload, dead-letter and body lambdas per observation
            guard(o, () -> {
                throw e;
            });
            return;
        }
        if (over) {
            guard(o, () -> partials.flushAll(emit));
        }
    }

    private void guard(Observation o, RecordGuard.Body body) throws Exception {
        RecordGuard.run("cohort-partials", "observations", o.t(), o::toString,
                d -> output.collect(RecordGuard.DEAD_LETTERS, new StreamRecord<>(d)), body);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        // the watermark says no observation at or before it is still to come (bar late ones,
        // which simply make a second partial): the intervals ending at or before it are complete
        partials.flushUpTo(mark.getTimestamp(), emit);
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        partials.flushAll(emit);
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        partials.flushAll(emit);
        super.finish();
    }

    private void emit(PartialBatch p) {
        output.collect(reuse.replace(p));
    }
}
