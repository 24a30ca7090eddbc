package io.llmslo.pipeline;

import io.llmslo.config.JobConfig;
import io.llmslo.event.Envelope;
import io.llmslo.event.ResponseEvent;
import io.llmslo.event.TextPolicy;
import io.llmslo.judge.Sampler;

/**
 * Drops the prompt and response text of every response the judge will not pick, right after
 * parsing and before the shuffle to the request joiner (DESIGN §5 turn 2: text of requests that
 * are not sampled goes no further than it must). The sample is a pure function of the request id
 * ({@link Sampler}), so every parallel instance decides alike here, where the text is parsed.
 *
 * <p>Kept: nothing when the judge is off; every judgeable response when a per-cohort-hour floor
 * ({@code sampling.min_per_cohort_hour}) may top the sample up with any of them (that decision
 * needs per-cohort state, after the joiner); otherwise exactly the hash sample.
 *
 * <p>The sources' parser applies it first ({@link TextPolicy}), so dropped text is never serialized
 * past the source; {@link DeadLetterSplitter} applies it again for envelopes from anywhere else.
 */
public final class TextDrop implements TextPolicy {

    private static final long serialVersionUID = 1L;

    private final boolean judge;
    private final boolean floor;
    private final Sampler sampler;

    private TextDrop(boolean judge, boolean floor, Sampler sampler) {
        this.judge = judge;
        this.floor = floor;
        this.sampler = sampler;
    }

    public static TextDrop forJob(JobConfig cfg) {
        boolean judge = cfg.judge.enabled();
        return new TextDrop(judge, cfg.sampling.minPerCohortHour() > 0, judge ? new Sampler(cfg.sampling) : null);
    }

    /** Whether this response's text must travel on to the judge branch. */
    @Override
    public boolean keeps(ResponseEvent r) {
        if (!judge || !Sampler.judgeable(r)) {
            return false;
        }
        return floor || sampler.sampled(r);
    }

    /** The envelope with its response's text dropped unless the judge may pick it. */
    public Envelope apply(Envelope e) {
        ResponseEvent r = e.response();
        if (r == null || (r.prompt() == null && r.response() == null) || keeps(r)) {
            return e;
        }
        return Envelope.of(r.withoutText());
    }
}
