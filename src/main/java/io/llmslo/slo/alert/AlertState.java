package io.llmslo.slo.alert;

import io.llmslo.detect.DetectorState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The open alerts of one (slo, cohort): severity → the instant since which its resolve
 * condition has held ({@link #NOT_RESOLVING} while it still burns). Flink state, serialized by {@link AlertStateSerializer}.
 */
@org.apache.flink.api.common.typeinfo.TypeInfo(AlertStateSerializer.Info.class)
public class AlertState {

    public static final long NOT_RESOLVING = Long.MIN_VALUE;

    public Map<String, Long> open = new LinkedHashMap<>();

    /** The sequential detector's memory (null for rules without one); kept while alerts are closed. */
    public DetectorState detector;

    public AlertState() {}

    /** No alert open (the series need not be evaluated for an alert's sake). */
    public boolean isEmpty() {
        return open.isEmpty();
    }

    /** Nothing to keep in Flink state: no open alert and no detector memory. */
    public boolean isBlank() {
        return open.isEmpty() && detector == null;
    }
}
