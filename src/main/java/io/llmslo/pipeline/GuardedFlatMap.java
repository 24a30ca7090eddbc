package io.llmslo.pipeline;

import io.llmslo.event.RecordGuard;
import java.io.Serializable;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Any stateless flat-map, run under {@link RecordGuard}: a record that makes it throw becomes a
 * dead letter on {@link RecordGuard#DEAD_LETTERS} and the stream goes on. Wiring-level, so the
 * wrapped functions stay plain.
 */
public final class GuardedFlatMap<I, O> extends ProcessFunction<I, O> {

    /** What a dead letter records about the input: its source stream and text. */
    public interface Describe<I> extends Serializable {
        String payload(I in);
    }

    private final String operator;
    private final String source;
    private final FlatMapFunction<I, O> fn;
    private final Describe<I> describe;

    public GuardedFlatMap(String operator, String source, FlatMapFunction<I, O> fn, Describe<I> describe) {
        this.operator = operator;
        this.source = source;
        this.fn = fn;
        this.describe = describe;
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        if (fn instanceof RichFunction rich) {
            rich.setRuntimeContext(getRuntimeContext());
            rich.open(ctx);
        }
    }

    @Override
    public void close() throws Exception {
        if (fn instanceof RichFunction rich) {
            rich.close();
        }
    }

    @Override
    public void processElement(I in, Context ctx, Collector<O> out) throws Exception {
        RecordGuard.run(operator, source, ctx.timestamp(), () -> describe.payload(in),
                d -> ctx.output(RecordGuard.DEAD_LETTERS, d), () -> fn.flatMap(in, out));
    }
}
