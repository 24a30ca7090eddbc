package io.llmslo.metrics;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The job's own health metrics, all under the operator's metric group {@code llmslo} so any
 * Flink reporter (Prometheus: {@code flink_taskmanager_job_task_operator_llmslo_*}) exports them.
 * Names are fixed and label values bounded: a dead-letter reason becomes a short category
 * ({@link #reasonCategory}) and at most {@link #MAX_REASONS} of them get their own counter.
 */
public final class JobMetrics {

    public static final String GROUP = "llmslo";
    static final int MAX_REASONS = 32;

    private JobMetrics() {}

    public static MetricGroup group(MetricGroup operator) {
        return operator.addGroup(GROUP);
    }

    /**
     * {@code field 'outcome': expected one of ...} → {@code field_outcome}; {@code late} →
     * {@code late}: the part before the first ':' (reasons put the variable part after it), as a
     * metric-safe name of at most 40 characters.
     */
    public static String reasonCategory(String reason) {
        if (reason == null || reason.isBlank()) {
            return "unknown";
        }
        int colon = reason.indexOf(':');
        String head = (colon > 0 ? reason.substring(0, colon) : reason).toLowerCase(Locale.ROOT);
        String name = head.replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (name.isEmpty()) {
            return "unknown";
        }
        return name.length() > 40 ? name.substring(0, 40) : name;
    }

    /** One counter per reason category, the first {@link #MAX_REASONS} of them; the rest share {@code other}. */
    public static final class ReasonCounters {
        private final MetricGroup group;
        private final Map<String, Counter> counters = new HashMap<>();

        public ReasonCounters(MetricGroup group) {
            this.group = group;
        }

        public void inc(String reason) {
            inc(reason, 1);
        }

        /** A dead letter that stands for {@code n} records (cohort_cap: the observations it folded). */
        public void inc(String reason, long n) {
            String c = reasonCategory(reason);
            Counter counter = counters.get(c);
            if (counter == null) {
                if (counters.size() >= MAX_REASONS) {
                    c = "other";
                    counter = counters.get(c);
                }
                if (counter == null) {
                    counter = group.counter("dead_letters_" + c);
                    counters.put(c, counter);
                }
            }
            counter.inc(n);
        }
    }
}
