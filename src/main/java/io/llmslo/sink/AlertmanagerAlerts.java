package io.llmslo.sink;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmslo.slo.AlertEvent;
import io.llmslo.slo.AlertNotice;
import io.llmslo.slo.SloStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The open alerts of a job as Alertmanager API v2 alerts ({@code postableAlert}): the decision
 * logic of the Alertmanager sink, no I/O.
 *
 * <p>Alertmanager treats an alert as firing until its {@code endsAt}; a client must re-send
 * firing alerts before that (Prometheus re-sends every {@code resend_delay}, 1 min, with
 * {@code endsAt} = now + 4 × that). So a firing transition is posted at once and then re-sent by
 * {@link #resend} with a fresh {@code endsAt}; a resolved transition is posted with
 * {@code endsAt} = the resolving evaluation's time and forgotten. {@code startsAt} is the event
 * time the alert fired at (its row in {@code slo_alerts}), so a replay shows when it really began.
 * Labels identify an alert (slo, cohort, severity, plus alertname and the job); everything else
 * is an annotation.
 */
public final class AlertmanagerAlerts {

    public static final String ALERTNAME = "LlmSloBurnRate";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final String job;
    private final String dashboardUrl;
    private final long resendMs;
    /** Firing alerts by fingerprint (slo, cohort, severity), in firing order. */
    private final Map<String, ObjectNode> firing = new LinkedHashMap<>();

    public AlertmanagerAlerts(String job, String dashboardUrl, long resendMs) {
        this.job = job;
        this.dashboardUrl = dashboardUrl;
        this.resendMs = resendMs;
    }

    public static String fingerprint(AlertEvent a) {
        return a.slo() + "\u0000" + a.cohort() + "\u0000" + a.severity();
    }

    /** The alert to post for one transition, at processing time {@code now}. */
    public ObjectNode onTransition(AlertNotice n, long now) {
        AlertEvent a = n.alert();
        String fp = fingerprint(a);
        ObjectNode alert = payload(n);
        if (AlertEvent.FIRING.equals(a.state())) {
            alert.put("startsAt", iso(a.at()));
            alert.put("endsAt", iso(now + 4 * resendMs));
            firing.put(fp, alert);
        } else {
            ObjectNode open = firing.remove(fp);
            // a resolve whose firing this writer never saw (restored without it) still resolves
            long starts = open == null ? a.at() : Instant.parse(open.get("startsAt").asText()).toEpochMilli();
            alert.put("startsAt", iso(Math.min(starts, a.at())));
            alert.put("endsAt", iso(a.at()));
        }
        return alert;
    }

    /** Every firing alert with {@code endsAt} moved to now + 4 × the resend interval. */
    public List<ObjectNode> resend(long now) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode a : firing.values()) {
            a.put("endsAt", iso(now + 4 * resendMs));
            out.add(a.deepCopy());
        }
        return out;
    }

    public int firingCount() {
        return firing.size();
    }

    /** The firing alerts, for the writer's checkpoint. */
    public List<ObjectNode> firing() {
        List<ObjectNode> out = new ArrayList<>();
        firing.values().forEach(a -> out.add(a.deepCopy()));
        return out;
    }

    /** Restores alerts saved by {@link #firing()}. */
    public void restore(List<ObjectNode> alerts) {
        for (ObjectNode a : alerts) {
            ObjectNode l = (ObjectNode) a.get("labels");
            firing.put(l.path("slo").asText() + "\u0000" + l.path("cohort").asText() + "\u0000"
                    + l.path("severity").asText(), a);
        }
    }

    ObjectNode payload(AlertNotice n) {
        AlertEvent a = n.alert();
        SloStatus s = n.status();
        ObjectNode alert = F.objectNode();
        ObjectNode labels = alert.putObject("labels");
        labels.put("alertname", ALERTNAME);
        labels.put("slo", a.slo());
        labels.put("cohort", a.cohort());
        labels.put("severity", a.severity());
        labels.put("llmslo_job", job);
        ObjectNode ann = alert.putObject("annotations");
        ann.put("summary", a.slo() + " for " + a.cohort() + ": " + a.severity() + " burn-rate alert " + a.state());
        if (s != null) {
            put(ann, "value", s.value());
            put(ann, "target", s.target());
            ann.put("status", s.status());
            put(ann, "burn_1h", s.burn1h());
            put(ann, "burn_6h", s.burn6h());
            put(ann, "burn_24h", s.burn24h());
            put(ann, "burn_7d", s.burn7d());
            put(ann, "budget_remaining", s.budgetRemaining());
        }
        put(ann, "burn_long", a.burnLong());
        put(ann, "burn_short", a.burnShort());
        ann.put("long_window", a.longWindow());
        if (a.shortWindow() != null) {
            ann.put("short_window", a.shortWindow());
        }
        put(ann, "e_value", a.eValue());
        put(ann, "e_threshold", a.eThreshold());
        put(ann, "detected_burn", a.detectedBurn());
        if (a.changeAt() != null) {
            ann.put("change_at", iso(a.changeAt()));
        }
        ann.put("evidence", evidence(a));
        ann.put("at", iso(a.at()));
        if (dashboardUrl != null) {
            String link = dashboardUrl + "/#slo=" + enc(a.slo()) + "&cohort=" + enc(a.cohort());
            ann.put("dashboard", link);
            alert.put("generatorURL", link);
        }
        return alert;
    }

    /** One line a person can read on the pager: both windows' burn and the significance. */
    static String evidence(AlertEvent a) {
        StringBuilder sb = new StringBuilder();
        sb.append("burn ").append(fmt(a.burnLong())).append(" over ").append(a.longWindow());
        if (a.shortWindow() != null) {
            sb.append(", ").append(fmt(a.burnShort())).append(" over ").append(a.shortWindow());
        }
        sb.append("; p-value ").append(a.pValue() == null ? "n/a" : String.format(Locale.ROOT, "%.3g", a.pValue()))
                .append(" over n=").append(a.n()).append(" events");
        if (a.eValue() != null) {
            // the sequential detector's evidence (anytime-valid): why it fired or resolved now
            sb.append("; e-value ").append(String.format(Locale.ROOT, "%.3g", a.eValue()));
            if (a.eThreshold() != null) {
                sb.append(" vs threshold ").append(String.format(Locale.ROOT, "%.3g", a.eThreshold()));
            }
            if (a.detectedBurn() != null) {
                sb.append(", detected burn ").append(fmt(a.detectedBurn()));
            }
            if (a.changeAt() != null) {
                sb.append(", change at ").append(iso(a.changeAt()));
            }
        }
        return sb.toString();
    }

    private static String fmt(Double v) {
        return v == null || v.isNaN() ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static void put(ObjectNode n, String field, Double v) {
        if (v != null && !v.isNaN() && !v.isInfinite()) {
            n.put(field, String.valueOf(v)); // annotations are strings
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
