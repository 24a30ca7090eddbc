package io.llmslo.slo.alert;

import io.llmslo.slo.AlertEvent;
import java.util.List;

/**
 * The result of one alert decision: the transitions to write to {@code slo_alerts} and the
 * highest severity open after it (the {@code alert} column), null when none is open.
 */
public record AlertOutcome(List<AlertEvent> transitions, String highestOpen) {}
