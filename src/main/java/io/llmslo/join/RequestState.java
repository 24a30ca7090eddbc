package io.llmslo.join;

/**
 * What the joiner remembers of one request id: no text, no dimension names (see
 * {@link CompactDims}), a null rater list until a first rating. A POJO (public fields, no-arg
 * constructor); serialized field by field by {@link RequestStateSerializer}.
 */
@org.apache.flink.api.common.typeinfo.TypeInfo(RequestStateSerializer.Info.class)
public class RequestState {
    /** The response has arrived (a first one); later ones are duplicates. */
    public boolean responded;

    public long ts;
    public boolean success;
    /** The cohort dimensions later signals count in, packed by {@link CompactDims}. */
    public String[] dims;
    /** Which dimension list {@code dims} was packed with. */
    public int dimsSchema;
    /**
     * A negative signal decided the acceptance (bad). The window's closing is not recorded here:
     * the joiner's watermark tells it ({@link RequestJoiner}).
     */
    public boolean acceptanceDone;
    /** Event time at which all of this request's state is dropped. */
    public long expiry;
    /** Raters who rated it, so a re-sent rating counts once; null before the first rating. */
    public String[] raters;
    /** Rubrics a judge score was joined for (decoupled judge), so a re-sent score counts once; null before. */
    public String[] scored;
    /** Signals that arrived before the response, in arrival order; null when none wait. */
    public io.llmslo.event.Envelope[] pending;

    public RequestState() {}
}
