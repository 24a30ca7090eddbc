package io.llmslo.dashboard;

import static io.llmslo.dashboard.DashboardFixture.CHAT_M2;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page in a real browser: headless Chromium renders the dashboard over the fixture
 * database, and the test reads the DOM it dumps after the scripts ran. Skipped where Debian's
 * Chromium is not installed ({@code apt-get install chromium}; CI installs it).
 */
class DashboardBrowserITCase {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_S = 120;

    @TempDir
    static Path dir;

    static DashboardServer server;

    @BeforeAll
    static void start() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
                "no " + CHROMIUM + ": install Debian's chromium to run the browser test");
        server = DashboardServer.start(new DashboardQueries(DashboardFixture.create(dir), null, null), 0);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void rendersStatusRowsBadgesAlertsAndTheHistoryChart() throws Exception {
        String url = server.uri() + "#slo=quality.acceptance&cohort=" + URLEncoder.encode(CHAT_M2, StandardCharsets.UTF_8);
        String dom = chromium(List.of("--dump-dom", url), "dom");

        assertThat(dom).contains("data-loaded=\"true\"");
        // one row per (slo, cohort), with its status badge
        assertThat(dom).contains("data-slo=\"quality.acceptance\" data-cohort=\"" + CHAT_M2 + "\" data-status=\"breach\"");
        assertThat(dom).contains("data-slo=\"latency.ttft_p95\" data-cohort=\"surface=chat\" data-status=\"ok\"");
        assertThat(dom).contains("<span class=\"badge breach\">Breach</span>");
        assertThat(dom).contains("<span class=\"badge ok\">OK</span>");
        assertThat(dom).contains("class=\"badge insufficient_data\"", ">Insufficient</span>");
        assertThat(dom).contains("71.2%", "≥ 88.0% · 24h", "540 ms", "$0.3100");
        // the four family tables, in order
        assertThat(dom.indexOf("id=\"family-quality\"")).isPositive()
                .isLessThan(dom.indexOf("id=\"family-latency\""));
        assertThat(dom.indexOf("id=\"family-cost\"")).isLessThan(dom.indexOf("id=\"family-availability\""));
        // open alerts: the two still firing, not the resolved ones
        assertThat(count(dom, "class=\"alert-item open-alert\"")).isEqualTo(2);
        assertThat(dom).contains("data-slo=\"quality.acceptance\" data-cohort=\"" + CHAT_M2 + "\" data-severity=\"page\"");
        assertThat(dom).contains("data-slo=\"cost.p95\" data-cohort=\"surface=agent,locale=ja-JP\" data-severity=\"ticket\"");
        assertThat(dom).doesNotContain("data-severity=\"page_rollback\"");
        // judge calibration below its minimum agreement is flagged; dead letters by reason
        assertThat(dom).contains("data-rubric=\"helpfulness\" data-version=\"3\" data-alert=\"true\"", "75.0% ⚠");
        assertThat(dom).contains("data-source=\"responses\" data-reason=\"invalid_json\"");
        // the history chart of the row named in the URL: value line, target line, CI band
        assertThat(dom).contains("class=\"history-chart\"", "class=\"vline\"", "class=\"tline\"", "class=\"band\"");
        assertThat(dom).contains("class=\"row breach selected\"");
        // a cohort name from the data is text, never markup
        assertThat(dom).contains("surface=&lt;img src=x onerror=alert(1)&gt;");
        assertThat(dom).doesNotContainIgnoringCase("<img");

        Path png = Path.of("target", "dashboard.png");
        Files.deleteIfExists(png);
        chromium(List.of("--hide-scrollbars", "--window-size=1600,1250",
                "--screenshot=" + png.toAbsolutePath(), url), "shot");
        assertThat(png).exists();
        assertThat(Files.size(png)).isGreaterThan(20_000);
    }

    private static String chromium(List<String> extra, String tag) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + dir.resolve("profile-" + tag),
                "--virtual-time-budget=5000"));
        cmd.addAll(extra);
        Path out = dir.resolve(tag + ".out");
        Path err = dir.resolve(tag + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in " + TIMEOUT_S + " s: " + Files.readString(err));
        }
        assertThat(p.exitValue()).as("chromium exit; stderr: %s", Files.readString(err)).isZero();
        return Files.readString(out);
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
