package io.llmslo.event;

import java.io.Serializable;

/**
 * Which parsed responses keep their prompt and response text (DESIGN §5, turn 2: the text of a
 * request the judge will not read goes no further than it must). The parser applies it, so text
 * that is dropped is never serialized to the operators after the source.
 */
@FunctionalInterface
public interface TextPolicy extends Serializable {

    /** Every response keeps its text: tools and tests that read records themselves. */
    TextPolicy KEEP_ALL = r -> true;

    /** Whether this response, parsed with its text, keeps it. */
    boolean keeps(ResponseEvent r);
}
