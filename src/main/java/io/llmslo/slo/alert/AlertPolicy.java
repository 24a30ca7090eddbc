package io.llmslo.slo.alert;

import java.io.Serializable;

/**
 * The alert rule of one SLO: from the window counts of an evaluation and the series' open alerts,
 * decide which severities open or resolve. Implementations are plain Java (no Flink); the state
 * they keep between evaluations lives in {@link AlertState}, which they update in place.
 */
public interface AlertPolicy extends Serializable {

    AlertOutcome decide(AlertInput in, AlertState state);
}
