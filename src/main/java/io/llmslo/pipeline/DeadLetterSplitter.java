package io.llmslo.pipeline;

import io.llmslo.event.Envelope;
import io.llmslo.event.RecordGuard;
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

    private final TextDrop textDrop;
    private transient LongCounter read;

    public DeadLetterSplitter() {
        this(null);
    }

    /** @param textDrop drops the text the judge will not read before the shuffle; null keeps all */
    public DeadLetterSplitter(TextDrop textDrop) {
        this.textDrop = textDrop;
    }

    @Override
    public void open(OpenContext openContext) {
        read = new LongCounter();
        getRuntimeContext().addAccumulator(EVENTS_READ, read);
    }

    @Override
    public void processElement(Envelope e, Context ctx, Collector<Envelope> out) throws Exception {
        if (read != null) {
            read.add(1L);
        }
        RecordGuard.run("dead-letter-split", e.kind() == null ? "unknown" : e.kind().source(), null,
                () -> String.valueOf(e), d -> ctx.output(RecordGuard.DEAD_LETTERS, d), () -> {
                    if (e.isDead()) {
                        ctx.output(RecordGuard.DEAD_LETTERS, e.deadLetter());
                    } else {
                        out.collect(textDrop == null ? e : textDrop.apply(e));
                    }
                });
    }
}
