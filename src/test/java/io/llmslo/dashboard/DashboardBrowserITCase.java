package io.llmslo.dashboard;

import static io.llmslo.dashboard.DashboardFixture.DAY;
import static io.llmslo.dashboard.DashboardFixture.HOUR;
import static io.llmslo.dashboard.DashboardFixture.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.slo.AlertEvent;
import io.llmslo.slo.SloStatus;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The dashboard in a real browser: Debian's headless Chromium driven through its chromedriver
 * over the fixture database plus a month of history for the four headline SLOs. The main page
 * shows four panels whose numbers are {@code slo_status}'s for the selected cohort, the cohort
 * selector changes them, a panel click opens the family page, the console stays clean, and the
 * page is written as a screenshot ({@code target/dashboard.png}; {@code docs/dashboard.png} is the
 * same page over a {@code demo} database, made with {@code -Ddashboard.screenshot.db=demo/llm-slo.db}).
 *
 * <p>Skips, with the reason printed, where Chromium or chromedriver is not installed
 * ({@code apt-get install chromium chromium-driver}; {@code .ci/run} installs both and fails if it cannot).
 */
class DashboardBrowserITCase {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Hang guard for the page to settle: not a timing assertion. */
    private static final long SETTLE_MS = 60_000;
    private static final List<String> HEADLINES =
            List.of("quality.acceptance", "latency.ttft_p95", "cost.p95", "availability.success");
    private static final String CHAT = "surface=chat";

    @TempDir
    static Path dir;

    static String url;
    static DashboardServer server;
    static ChromeDriver driver;

    @BeforeAll
    static void start() throws Exception {
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) {
                // printed as [ABORTED] with this reason by testing.SkipReporter
                Assumptions.abort("no " + p + " (apt-get install chromium chromium-driver)");
            }
        }
        url = DashboardFixture.create(dir);
        addMonth(url);
        server = DashboardServer.start(new DashboardQueries(url, null, null), 0);
        driver = chrome(dir.resolve("profile"));
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void fourPanelsShowSloStatusForTheSelectedCohortAndOpenTheirDetailPage() throws Exception {
        driver.get(server.uri().toString());
        settle("*");
        List<WebElement> panels = driver.findElements(By.cssSelector("#panels .panel"));
        assertThat(panels).extracting(p -> p.getAttribute("data-family"))
                .containsExactly("quality", "latency", "cost", "availability");
        assertPanelsEqualStatus("*");
        // every panel drew its 30-day uPlot chart; the quality one has the fixture's alert span
        assertThat(driver.findElements(By.cssSelector("#panels .p-chart[data-chart=uplot] canvas"))).hasSize(4);
        assertThat(driver.findElement(By.cssSelector("#panel-latency .p-chart")).getAttribute("data-alert-spans"))
                .isEqualTo("1");
        screenshot(Path.of("target", "dashboard.png"));

        // the cohort selector: another cohort, other numbers, still equal to slo_status
        driver.findElement(By.cssSelector("#cohort option[value='" + CHAT + "']")).click();
        settle(CHAT);
        assertPanelsEqualStatus(CHAT);
        assertThat(driver.getCurrentUrl()).endsWith("?cohort=surface%3Dchat");

        // one click to the family page, keeping the cohort
        driver.findElement(By.id("panel-quality")).click();
        waitFor(() -> driver.getCurrentUrl().contains("family.html?family=quality"));
        waitFor(() -> "true".equals(driver.findElement(By.tagName("body")).getAttribute("data-loaded")));
        assertThat(driver.findElement(By.id("cohort-filter")).getAttribute("value")).isEqualTo(CHAT);
        List<WebElement> rows = driver.findElements(By.cssSelector("table.status tr.row"));
        assertThat(rows).isNotEmpty().allSatisfy(r -> {
            assertThat(r.getAttribute("data-slo")).startsWith("quality.");
            assertThat(r.getAttribute("data-cohort")).isEqualTo(CHAT);
        });
        // a row opens its history with the Wilson band
        rows.get(0).click();
        waitFor(() -> !driver.findElements(By.cssSelector("#detail-body .history-chart[data-chart=uplot] canvas")).isEmpty());

        assertNoConsoleErrors();
    }

    @Test
    void weeklyReportPageShowsTheFourNumbers() throws Exception {
        driver.get(server.uri() + "report.html");
        waitFor(() -> "true".equals(driver.findElement(By.tagName("body")).getAttribute("data-loaded")));
        List<WebElement> rows = driver.findElements(By.cssSelector("#numbers tr"));
        assertThat(rows).extracting(r -> r.getAttribute("data-family"))
                .containsExactly("quality", "latency", "cost", "availability");
        for (int i = 0; i < HEADLINES.size(); i++) {
            assertThat(Double.parseDouble(rows.get(i).getAttribute("data-value")))
                    .isEqualTo(statusRow(HEADLINES.get(i), "*").get("value"));
        }
        assertThat(driver.findElement(By.id("sentence")).getText()).startsWith("For all traffic, ");
        assertNoConsoleErrors();
    }

    @Test
    void hostileCohortNamesStayText() throws Exception {
        driver.get(server.uri() + "family.html?family=availability");
        waitFor(() -> "true".equals(driver.findElement(By.tagName("body")).getAttribute("data-loaded")));
        assertThat(driver.getPageSource()).contains("surface=&lt;img src=x onerror=alert(1)&gt;");
        assertThat(driver.findElements(By.cssSelector("img"))).isEmpty();
        assertNoConsoleErrors();
    }

    /** The page's numbers against a direct read of slo_status: value, target, status per panel. */
    private static void assertPanelsEqualStatus(String cohort) throws SQLException {
        for (String slo : HEADLINES) {
            String family = slo.substring(0, slo.indexOf('.'));
            WebElement panel = driver.findElement(By.id("panel-" + family));
            Map<String, Object> row = statusRow(slo, cohort);
            assertThat(row).as("fixture has %s for %s", slo, cohort).isNotNull();
            double value = (Double) row.get("value");
            assertThat(Double.parseDouble(panel.getAttribute("data-value"))).as(slo).isEqualTo(value);
            assertThat(Double.parseDouble(panel.getAttribute("data-target"))).as(slo).isEqualTo(row.get("target"));
            assertThat(panel.getAttribute("data-status")).as(slo).isEqualTo(row.get("status"));
            assertThat(panel.getAttribute("class")).contains((String) row.get("status"));
            // what a person reads: the percentage with the digits the target needs to be told
            // apart from it (0.88 → one, 0.9995 → three: ceil(−log10(1 − target)) − 1, in 1..4)
            double target = (Double) row.get("target");
            int digits = (int) Math.min(4, Math.max(1, Math.ceil(-Math.log10(1 - target)) - 1));
            assertThat(panel.findElement(By.className("p-value")).getText()).as(slo)
                    .isEqualTo(String.format(java.util.Locale.ROOT, "%." + digits + "f%%", value * 100));
        }
    }

    private static Map<String, Object> statusRow(String slo, String cohort) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement ps = c.prepareStatement(
                        "SELECT value, target, status FROM slo_status WHERE slo = ? AND cohort = ?")) {
            ps.setString(1, slo);
            ps.setString(2, cohort);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Map.of("value", rs.getDouble(1), "target", rs.getDouble(2), "status", rs.getString(3))
                        : null;
            }
        }
    }

    private static void settle(String cohort) {
        waitFor(() -> "true".equals(driver.findElement(By.tagName("body")).getAttribute("data-loaded"))
                && cohort.equals(driver.findElement(By.tagName("body")).getAttribute("data-cohort")));
    }

    private static void assertNoConsoleErrors() {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.WARNING.intValue()) {
                errors.add(e.getLevel() + " " + e.getMessage());
            }
        }
        assertThat(errors).as("browser console").isEmpty();
    }

    private static void waitFor(BooleanSupplier condition) {
        long end = System.nanoTime() + SETTLE_MS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("page did not settle; console: " + driver.manage().logs().get(LogType.BROWSER)
                        .getAll());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void screenshot(Path png) throws Exception {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, driver.getScreenshotAs(OutputType.BYTES));
        assertThat(Files.size(png)).isGreaterThan(20_000);
    }

    static ChromeDriver chrome(Path profile) {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1400,1000", "--hide-scrollbars");
        o.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        ChromeDriver d = new ChromeDriver(service, o);
        d.manage().window().setSize(new Dimension(1400, 1000));
        return d;
    }

    /**
     * The four headline SLOs for all traffic and for surface=chat, each with 30 days of hourly
     * history; latency has a dip with an alert that fired and resolved (the chart's shaded span).
     */
    private static void addMonth(String url) throws SQLException {
        List<SloStatus> status = new ArrayList<>();
        List<SloStatus> history = new ArrayList<>();
        List<AlertEvent> alerts = new ArrayList<>();
        double[][] values = { // {all traffic, surface=chat} per headline, and the target
            {0.931, 0.904, 0.88}, {0.962, 0.941, 0.95}, {0.973, 0.958, 0.95}, {0.9996, 0.9991, 0.9995}};
        for (int i = 0; i < HEADLINES.size(); i++) {
            String slo = HEADLINES.get(i);
            double target = values[i][2];
            for (int k = 0; k < 2; k++) {
                String cohort = k == 0 ? "*" : CHAT;
                double v = values[i][k];
                String st = v >= target ? "ok" : "breach";
                Double q = slo.startsWith("latency") ? Double.valueOf(480.0 + 40 * k)
                        : slo.startsWith("cost") ? Double.valueOf(0.031 + 0.004 * k) : null;
                status.add(row(slo, cohort, NOW, v, target, st, q));
                for (int h = 30 * 24; h >= 0; h--) {
                    double hv = v + 0.004 * Math.sin(h / 9.0) * (1 - target) * 10;
                    if (slo.startsWith("latency") && h > 200 && h < 230) {
                        hv = target - 0.04;
                    }
                    history.add(row(slo, cohort, NOW - h * HOUR, Math.min(1, hv), target, hv >= target ? "ok" : "breach", q));
                }
            }
        }
        alerts.add(new AlertEvent("latency.ttft_p95", "*", "page", "firing", NOW - 228 * HOUR, "6h", "30m", 7.0, 8.0, 1e-6, 4000));
        alerts.add(new AlertEvent("latency.ttft_p95", "*", "page", "resolved", NOW - 199 * HOUR, "6h", "30m", 0.5, 0.4, 0.9, 4000));
        // the fixture's quality.acceptance '*' row stays as it is (DashboardQueriesTest reads it): replace here
        DashboardFixture.add(url, status, history.stream().filter(r -> r.evalTime() > NOW - 31 * DAY).toList(), alerts);
    }

    private static SloStatus row(String slo, String cohort, long t, double v, double target, String st, Double q) {
        long n = 20_000;
        return new SloStatus(slo, cohort, t, "24h", n, Math.round(v * n), v, target, v - 0.003, Math.min(1, v + 0.003),
                st.equals("breach") ? 1e-6 : 0.6, st, 0.7, 0.8, (1 - v) / (1 - target), 0.9, 0.6, null, q,
                v - 0.002);
    }
}
