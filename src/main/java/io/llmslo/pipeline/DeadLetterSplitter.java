package io.llmslo.pipeline;

import io.llmslo.event.Envelope;
import io.llmslo.event.RecordGuard;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Sends records that failed parsing to the dead-letter output; valid ones go on. */
public class DeadLetterSplitter extends ProcessFunction<Envelope, Envelope> {

    @Override
    public void processElement(Envelope e, Context ctx, Collector<Envelope> out) throws Exception {
        RecordGuard.run("dead-letter-split", e.kind() == null ? "unknown" : e.kind().source(), null,
                () -> String.valueOf(e), d -> ctx.output(RecordGuard.DEAD_LETTERS, d), () -> {
                    if (e.isDead()) {
                        ctx.output(RecordGuard.DEAD_LETTERS, e.deadLetter());
                    } else {
                        out.collect(e);
                    }
                });
    }
}
