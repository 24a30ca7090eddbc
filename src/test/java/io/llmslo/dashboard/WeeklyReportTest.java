package io.llmslo.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The weekly summary over the fixture tables: four numbers, trends, one sentence, two renderings. */
class WeeklyReportTest {

    @TempDir
    Path dir;

    @Test
    void fourNumbersTrendAndSentence() throws Exception {
        DashboardQueries q = new DashboardQueries(DashboardFixture.create(dir), null, null);
        JsonNode all = WeeklyReport.build(q, Duration.ofDays(7), "*", DashboardQueries.DEFAULT_HEADLINES);
        assertThat(all.get("to").asText()).isEqualTo("2026-11-04T12:00:00Z");
        assertThat(all.get("from").asText()).isEqualTo("2026-10-28T12:00:00Z");
        JsonNode n = all.get("numbers");
        assertThat(n).hasSize(4);
        assertThat(n.get(0).get("slo").asText()).isEqualTo("quality.acceptance");
        assertThat(n.get(0).get("value").asDouble()).isEqualTo(0.931);
        assertThat(n.get(0).get("status").asText()).isEqualTo("ok");
        // the fixture's '*' history has one row, at NOW: nothing a week earlier, no trend
        assertThat(n.get(0).get("value_then").isNull()).isTrue();
        assertThat(n.get(1).get("status").asText()).isEqualTo("no_data");
        assertThat(n.get(3).get("value").asDouble()).isEqualTo(0.99962);
        // alerts: of the fixture's firings, those after 10-28 12:00 per family
        assertThat(n.get(0).get("alerts_fired").asLong()).isEqualTo(1);
        assertThat(n.get(2).get("alerts_fired").asLong()).isEqualTo(2);
        assertThat(n.get(3).get("alerts_fired").asLong()).isEqualTo(1);
        assertThat(all.get("sentence").asText()).isEqualTo("For all traffic, Quality and availability met their targets; "
                + "latency and cost had too little data for a verdict. 5 alerts fired in the period.");

        // a cohort in breach, with a week-earlier value from slo_history (the row at NOW − 7 d)
        JsonNode m2 = WeeklyReport.build(q, Duration.ofDays(2), DashboardFixture.CHAT_M2,
                DashboardQueries.DEFAULT_HEADLINES);
        JsonNode quality = m2.get("numbers").get(0);
        assertThat(quality.get("status").asText()).isEqualTo("breach");
        assertThat(quality.get("value_then").asDouble()).isEqualTo(0.90); // history row 48 h before NOW
        assertThat(quality.get("trend").asText()).isEqualTo("down");
        assertThat(m2.get("sentence").asText()).startsWith("For surface=chat,model=m-2, Quality (71.2% against "
                + "≥ 88.0%, down from 90.0%) missed its target");

        String md = WeeklyReport.markdown(all);
        assertThat(md).contains("# llm-slo weekly report — all traffic", "| quality | `quality.acceptance` | **93.1%** |",
                "| availability | `availability.success` | **99.962%** |", "7 days earlier");
        String html = WeeklyReport.html(new ObjectMapper().readTree(DashboardQueries.json(all)));
        assertThat(html).startsWith("<!doctype html>").contains("<td class=\"num\">93.1%</td>");
    }

    @Test
    void cohortTextIsEscapedInHtml() {
        assertThat(WeeklyReport.esc("surface=<img src=x>")).isEqualTo("surface=&lt;img src=x&gt;");
    }
}
