package io.llmslo.slo;

/**
 * An alert transition with the evaluation it came from, for notifiers that show the SLO's value
 * and target next to the burn rates (Alertmanager annotations). {@link AlertEvent} stays the row
 * of {@code slo_alerts}; this is only what leaves the job towards people.
 */
public record AlertNotice(AlertEvent alert, SloStatus status) {}
