package io.llmslo.cohort;

import io.llmslo.event.DeadLetter;
import io.llmslo.event.RecordGuard;
import io.llmslo.slo.PartialBatch;
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
 * Between {@code cohort-partials} and the evaluator's shuffle: labels each batch of partial buckets
 * by the admission decisions (input 2, broadcast) with {@link CohortRelabel}. A batch whose value is
 * not decided yet waits here; its decision is emitted before the admission's watermark passes the
 * end of the batch's history interval, and this operator's watermark is the smaller of its two
 * inputs', so a waiting batch always leaves before the watermark that would make it late (late
 * input aside, which is late anyway). Only batches of values new in the current interval ever wait.
 *
 * <p>Exactly-once: the waiting partials are operator list state and the decisions broadcast state,
 * both in every checkpoint. Each folded batch reports its dimension on {@link
 * RecordGuard#DEAD_LETTERS}, with its observation count, to be summed by the dead-letter counter
 * into one row per dimension.
 */
public class CohortRelabelOperator extends AbstractStreamOperator<PartialBatch>
        implements TwoInputStreamOperator<PartialBatch, CohortDecision, PartialBatch> {

    private static final Logger LOG = LoggerFactory.getLogger(CohortRelabelOperator.class);

    static final MapStateDescriptor<String, CohortDecision> DECISIONS = new MapStateDescriptor<>(
            "cohort-decisions", Types.STRING, TypeInformation.of(CohortDecision.class));
    static final ListStateDescriptor<PartialBatch> WAITING = new ListStateDescriptor<>(
            "cohort-waiting", TypeInformation.of(PartialBatch.class));

    private final CohortCap cap;

    private transient CohortRelabel relabel;
    private transient List<PartialBatch> waiting;
    private transient ListState<PartialBatch> waitingState;
    private transient BroadcastState<String, CohortDecision> decisions;
    private transient Map<String, DeadLetter> deadLetters;
    private transient StreamRecord<PartialBatch> reuse;

    public CohortRelabelOperator(CohortCap cap) {
        this.cap = cap;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        relabel = new CohortRelabel(cap);
        deadLetters = new HashMap<>();
        reuse = new StreamRecord<>(null);
        decisions = context.getOperatorStateStore().getBroadcastState(DECISIONS);
        for (Map.Entry<String, CohortDecision> d : decisions.entries()) {
            relabel.apply(d.getValue());
        }
        waitingState = context.getOperatorStateStore().getListState(WAITING);
        waiting = new ArrayList<>();
        for (PartialBatch p : waitingState.get()) {
            waiting.add(p);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        waitingState.update(waiting);
    }

    @Override
    public void processElement1(StreamRecord<PartialBatch> element) {
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
        Iterator<PartialBatch> it = waiting.iterator();
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
            LOG.warn("{} partial batches without a cohort decision at end of input; counted under their names",
                    waiting.size());
            for (PartialBatch p : waiting) {
                output.collect(new StreamRecord<>(p));
            }
            waiting.clear();
        }
        super.finish();
    }

    private void emit(CohortRelabel.Result r) {
        output.collect(reuse.replace(r.batch()));
        if (r.folded().isEmpty()) {
            return;
        }
        long n = r.batch().observations();
        for (String dim : r.folded()) {
            if (n > 0) {
                DeadLetter d = deadLetters.computeIfAbsent(dim, x -> DeadLetter.of("observations", null,
                        cap.reason(x), "{\"dimension\":\"" + x + "\"}"));
                output.collect(RecordGuard.DEAD_LETTERS, new StreamRecord<>(d.withCount(n)));
            }
        }
    }
}
