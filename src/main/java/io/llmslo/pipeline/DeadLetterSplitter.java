package io.llmslo.pipeline;

import io.llmslo.event.DeadLetter;
import io.llmslo.event.Envelope;
import io.llmslo.join.RequestJoiner;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Sends records that failed parsing to the dead-letter output; valid ones go on. */
public class DeadLetterSplitter extends ProcessFunction<Envelope, Envelope> {

    @Override
    public void processElement(Envelope e, Context ctx, Collector<Envelope> out) {
        if (e.isDead()) {
            DeadLetter d = e.deadLetter();
            ctx.output(RequestJoiner.DEAD_LETTERS, d);
        } else {
            out.collect(e);
        }
    }
}
