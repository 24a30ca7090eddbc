package io.llmslo.pipeline;

import io.llmslo.event.DeadLetter;
import io.llmslo.event.Envelope;
import io.llmslo.join.RequestJoiner;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sends records that failed parsing to the dead-letter output; valid ones go on. Every record
 * passes here once, so it also keeps the job's progress as accumulators (read while the job runs,
 * e.g. by {@code demo}): {@value #EVENTS_READ}.
 */
public class DeadLetterSplitter extends ProcessFunction<Envelope, Envelope> {

    public static final String EVENTS_READ = "events_read";

    private transient LongCounter read;

    @Override
    public void open(OpenContext openContext) {
        read = new LongCounter();
        getRuntimeContext().addAccumulator(EVENTS_READ, read);
    }

    @Override
    public void processElement(Envelope e, Context ctx, Collector<Envelope> out) {
        if (read != null) {
            read.add(1L);
        }
        if (e.isDead()) {
            DeadLetter d = e.deadLetter();
            ctx.output(RequestJoiner.DEAD_LETTERS, d);
        } else {
            out.collect(e);
        }
    }
}
