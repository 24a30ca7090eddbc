package io.llmslo.cohort;

import io.llmslo.event.DeadLetter;
import io.llmslo.event.RecordGuard;
import io.llmslo.slo.PartialBucket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Between {@code cohort-partials} and the evaluator's shuffle: labels each partial bucket by the
 * admission decisions (input 2, broadcast) with {@link CohortRelabel}. A partial whose value is not
 * decided yet waits here; its decision is emitted before the admission's watermark passes the
 * partial's minute, and this operator's watermark is the smaller of its two inputs', so a waiting
 * partial always leaves before the watermark that would make it late (late input aside, which is
 * late anyway). Only partials of values new in the current minute ever wait.
 *
 * <p>Exactly-once: the waiting partials are operator list state and the decisions broadcast state,
 * both in every checkpoint. Each folded partial reports its dimension on {@link
 * RecordGuard#DEAD_LETTERS}, with its observation count, to be summed by the dead-letter counter
 * into one row per dimension.
 */
public class CohortRelabelOperator extends AbstractStreamOperator<PartialBucket>
        implements TwoInputStreamOperator<PartialBucket, CohortDecision, PartialBucket> {

    private static final Logger LOG = LoggerFactory.getLogger(CohortRelabelOperator.class);

    static final MapStateDescriptor<String, CohortDecision> DECISIONS = new MapStateDescriptor<>(
            "cohort-decisions", Types.STRING, TypeInformation.of(CohortDecision.class));
    static final ListStateDescriptor<PartialBucket> WAITING = new ListStateDescriptor<>(
            "cohort-waiting", TypeInformation.of(PartialBucket.class));

    private final CohortCap cap;

    private transient CohortRelabel relabel;
    private transient List<PartialBucket> waiting;
    private transient ListState<PartialBucket> waitingState;
    private transient BroadcastState<String, CohortDecision> decisions;
    private transient Map<String, DeadLetter> deadLetters;

    public CohortRelabelOperator(CohortCap cap) {
        this.cap = cap;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        relabel = new CohortRelabel(cap);
        deadLetters = new HashMap<>();
        decisions = context.getOperatorStateStore().getBroadcastState(DECISIONS);
        for (Map.Entry<String, CohortDecision> d : decisions.entries()) {
            relabel.apply(d.getValue());
        }
        waitingState = context.getOperatorStateStore().getListState(WAITING);
        waiting = new ArrayList<>();
        for (PartialBucket p : waitingState.get()) {
            waiting.add(p);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        waitingState.update(waiting);
    }

    @Override
    public void processElement1(StreamRecord<PartialBucket> element) {
        CohortRelabel.Result r = relabel.relabel(element.getValue());
        if (r == null) {
            waiting.add(element.getValue());
        } else {
            emit(r);
        }
    }

    @Override
    public void processElement2(StreamRecord<CohortDecision> element) throws Exception {
        CohortDecision d = element.getValue();
        relabel.apply(d);
        decisions.put(d.full() ? d.dimension() : d.dimension() + "=" + d.value(), d);
        release();
    }

    private void release() {
        Iterator<PartialBucket> it = waiting.iterator();
        while (it.hasNext()) {
            CohortRelabel.Result r = relabel.relabel(it.next());
            if (r != null) {
                it.remove();
                emit(r);
            }
        }
    }

    @Override
    public void finish() throws Exception {
        // every value is decided at the final watermark, before input 2 ends: nothing should wait
        if (!waiting.isEmpty()) {
            LOG.warn("{} partial buckets without a cohort decision at end of input; counted under their names",
                    waiting.size());
            for (PartialBucket p : waiting) {
                output.collect(new StreamRecord<>(p));
            }
            waiting.clear();
        }
        super.finish();
    }

    private void emit(CohortRelabel.Result r) {
        output.collect(new StreamRecord<>(r.bucket()));
        for (String dim : r.folded()) {
            if (r.bucket().n() > 0) {
                DeadLetter d = deadLetters.computeIfAbsent(dim, x -> DeadLetter.of("observations", null,
                        cap.reason(x), "{\"dimension\":\"" + x + "\"}"));
                output.collect(RecordGuard.DEAD_LETTERS, new StreamRecord<>(d.withCount(r.bucket().n())));
            }
        }
    }
}
