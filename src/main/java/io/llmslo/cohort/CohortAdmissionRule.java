package io.llmslo.cohort;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Which values of one dimension keep their name: in event time, first come first served, ties in
 * value order. At the end of each minute the values first seen (globally: the earliest minute any
 * subtask saw them in) in that minute are admitted in value order while the dimension has room;
 * the first value that finds no room makes the dimension full, and every value not admitted by
 * then is folded. A pure function of (first minute, value) pairs, so the same for every
 * parallelism, arrival order and restore.
 */
public final class CohortAdmissionRule {

    /** @param admitted in admission order; @param full no room was left for some value */
    public record Outcome(List<String> admitted, boolean full) {}

    private CohortAdmissionRule() {}

    /**
     * @param due the undecided values whose first minute has ended, with that minute
     * @param room how many more values the dimension may admit
     */
    public static Outcome decide(Map<String, Long> due, int room) {
        List<Map.Entry<String, Long>> order = new ArrayList<>(due.entrySet());
        order.sort(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.naturalOrder())));
        List<String> admitted = new ArrayList<>();
        for (int i = 0; i < order.size() && i < room; i++) {
            admitted.add(order.get(i).getKey());
        }
        return new Outcome(admitted, order.size() > Math.max(room, 0));
    }
}
