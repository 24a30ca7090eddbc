package io.llmslo.join;

import java.util.List;
import java.util.Map;

/**
 * What the joiner remembers of one request id. A POJO (public fields, no-arg constructor) so
 * both state backends serialize it without Kryo.
 */
public class RequestState {
    /** The response has arrived (a first one); later ones are duplicates. */
    public boolean responded;

    public long ts;
    public boolean success;
    public Map<String, String> dims;
    /** Acceptance was decided (by a negative signal or the window closing). */
    public boolean acceptanceDone;
    /** Event time at which all of this request's state is dropped. */
    public long expiry;
    /** Raters who rated it, so a re-sent rating counts once. */
    public List<String> raters;

    public RequestState() {}
}
