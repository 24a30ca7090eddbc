package io.llmslo.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmslo.slo.AlertEvent;
import io.llmslo.slo.AlertNotice;
import io.llmslo.slo.SloStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The Alertmanager payloads and the open-alert bookkeeping, without a server. */
class AlertmanagerAlertsTest {

    static final long T = Instant.parse("2026-10-01T10:00:00Z").toEpochMilli();
    static final long NOW = Instant.parse("2026-12-01T08:00:00Z").toEpochMilli();
    static final long MIN = 60_000;

    static AlertNotice notice(String state, long at) {
        AlertEvent a = new AlertEvent("availability.success", "surface=chat,model=m 1", "page", state, at, "6h", "30m",
                9.5, 12.25, 1.5e-9, 640);
        SloStatus s = new SloStatus("availability.success", "surface=chat,model=m 1", at, "30d", 640, 600, 0.9375,
                0.9995, null, null, 1e-9, "breach", 20.0, 9.5, null, 1.0, -0.2, "page", null, null);
        return new AlertNotice(a, s);
    }

    @Test
    void firingCarriesLabelsAnnotationsAndAnEndsAtFourResendIntervalsAhead() {
        AlertmanagerAlerts alerts = new AlertmanagerAlerts("prod", "http://dash:8080", MIN);
        ObjectNode a = alerts.onTransition(notice(AlertEvent.FIRING, T), NOW);
        assertThat(a.get("labels").toString()).isEqualTo("{\"alertname\":\"LlmSloBurnRate\",\"slo\":\"availability.success\","
                + "\"cohort\":\"surface=chat,model=m 1\",\"severity\":\"page\",\"llmslo_job\":\"prod\"}");
        assertThat(a.get("startsAt").asText()).isEqualTo("2026-10-01T10:00:00Z");
        assertThat(a.get("endsAt").asText()).isEqualTo("2026-12-01T08:04:00Z"); // now + 4 x 1 min, as Prometheus
        assertThat(a.at("/annotations/value").asText()).isEqualTo("0.9375");
        assertThat(a.at("/annotations/target").asText()).isEqualTo("0.9995");
        assertThat(a.at("/annotations/burn_1h").asText()).isEqualTo("20.0");
        assertThat(a.at("/annotations/burn_24h").isMissingNode()).isTrue(); // empty column: no annotation
        assertThat(a.at("/annotations/evidence").asText())
                .isEqualTo("burn 9.50 over 6h, 12.25 over 30m; p-value 1.50e-09 over n=640 events");
        assertThat(a.get("generatorURL").asText())
                .isEqualTo("http://dash:8080/#slo=availability.success&cohort=surface%3Dchat%2Cmodel%3Dm%201");
        assertThat(alerts.firingCount()).isEqualTo(1);
    }

    @Test
    void resendMovesEndsAtAndResolveEndsAtTheResolvingEvaluation() {
        AlertmanagerAlerts alerts = new AlertmanagerAlerts("prod", null, MIN);
        alerts.onTransition(notice(AlertEvent.FIRING, T), NOW);
        assertThat(alerts.resend(NOW + 10 * MIN)).singleElement()
                .satisfies(a -> assertThat(a.get("endsAt").asText()).isEqualTo("2026-12-01T08:14:00Z"));
        ObjectNode r = alerts.onTransition(notice(AlertEvent.RESOLVED, T + 90 * MIN), NOW + 11 * MIN);
        assertThat(r.get("startsAt").asText()).isEqualTo("2026-10-01T10:00:00Z");
        assertThat(r.get("endsAt").asText()).isEqualTo("2026-10-01T11:30:00Z");
        assertThat(r.has("generatorURL")).isFalse();
        assertThat(alerts.firingCount()).isZero();
        assertThat(alerts.resend(NOW + 20 * MIN)).isEmpty();
    }

    @Test
    void aResolveWithoutItsFiringStillResolvesAndStateRestores() {
        AlertmanagerAlerts alerts = new AlertmanagerAlerts("prod", null, MIN);
        ObjectNode r = alerts.onTransition(notice(AlertEvent.RESOLVED, T), NOW);
        assertThat(r.get("startsAt").asText()).isEqualTo(r.get("endsAt").asText());

        alerts.onTransition(notice(AlertEvent.FIRING, T), NOW);
        AlertmanagerAlerts restored = new AlertmanagerAlerts("prod", null, MIN);
        restored.restore(alerts.firing());
        assertThat(restored.firingCount()).isEqualTo(1);
        ObjectNode again = restored.onTransition(notice(AlertEvent.RESOLVED, T + 5 * MIN), NOW);
        assertThat(again.get("startsAt").asText()).isEqualTo("2026-10-01T10:00:00Z");
        assertThat(restored.firingCount()).isZero();
    }

    @Test
    void theSequentialDetectorsEvidenceIsAnnotated() {
        AlertEvent a = new AlertEvent("availability.success", "*", "page", AlertEvent.FIRING, T, "6h", "30m", 9.5, 12.25,
                1.5e-9, 640, 250.0, 100.0, T - 20 * MIN, 7.75);
        ObjectNode n = new AlertmanagerAlerts("prod", null, MIN).onTransition(new AlertNotice(a, null), NOW);
        assertThat(n.at("/annotations/e_value").asText()).isEqualTo("250.0");
        assertThat(n.at("/annotations/change_at").asText()).isEqualTo("2026-10-01T09:40:00Z");
        assertThat(n.at("/annotations/evidence").asText()).endsWith(
                "; e-value 250 vs threshold 100, detected burn 7.75, change at 2026-10-01T09:40:00Z");
        assertThat(n.at("/annotations/value").isMissingNode()).isTrue(); // no status row: no value annotation
    }
}
