package io.llmslo.slo.alert;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The open alerts of one (slo, cohort): severity → the instant since which its resolve
 * condition has held ({@link #NOT_RESOLVING} while it still burns). POJO for Flink state.
 */
public class AlertState {

    public static final long NOT_RESOLVING = Long.MIN_VALUE;

    public Map<String, Long> open = new LinkedHashMap<>();

    public AlertState() {}

    public boolean isEmpty() {
        return open.isEmpty();
    }
}
