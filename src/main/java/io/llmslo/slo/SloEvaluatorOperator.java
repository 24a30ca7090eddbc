package io.llmslo.slo;

import io.llmslo.slo.EvaluatorBroadcast.PooledPair;
import java.util.List;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.types.Either;

/**
 * The operator Flink builds for a {@code KeyedBroadcastProcessFunction}, with the hooks the
 * evaluator's write-behind values need ({@link SeriesValues}): the key context, to write an entry
 * back under its own key, and the moments before a checkpoint barrier and at the end of input, to
 * write every changed value to keyed state — as Flink SQL's mini-batch operators apply their bundle
 * before the barrier. Timers, broadcast inputs and their state are the base operator's.
 */
public final class SloEvaluatorOperator
        extends CoBroadcastWithKeyedOperator<String, PartialBatch, Either<Long, PooledPair>, SloStatus> {

    private static final long serialVersionUID = 1L;

    public SloEvaluatorOperator(SloEvaluatorFunction evaluator) {
        super(evaluator, List.of(SloEvaluatorFunction.PROGRESS, SloEvaluatorFunction.POOLED));
    }

    private SloEvaluatorFunction evaluator() {
        return (SloEvaluatorFunction) getUserFunction();
    }

    @Override
    public void open() throws Exception {
        super.open();
        evaluator().keepValues(new SeriesValues.Keys() {
            @Override
            public String current() {
                return (String) getCurrentKey();
            }

            @Override
            public void set(String key) {
                setCurrentKey(key);
            }
        });
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        evaluator().flushValues();
    }

    /**
     * A guard: the runtime calls {@link #prepareSnapshotPreBarrier} first and processes nothing in
     * between, so nothing is dirty here; keyed state is snapshotted after this method.
     */
    @Override
    public void snapshotState(org.apache.flink.runtime.state.StateSnapshotContext context) throws Exception {
        evaluator().flushValues();
        super.snapshotState(context);
    }

    /** The end of input (after the last timers fired): nothing stays on the heap only. */
    @Override
    public void finish() throws Exception {
        evaluator().flushValues();
        super.finish();
    }
}
