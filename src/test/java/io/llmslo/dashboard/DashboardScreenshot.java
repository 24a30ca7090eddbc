package io.llmslo.dashboard;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Writes {@code docs/dashboard.png}: the main page over a {@code demo} database in headless
 * Chromium, the same driver setup as {@link DashboardBrowserITCase}. Not a test; run after
 * {@code demo --no-dashboard}:
 * {@code java -cp target/test-classes:target/classes:<deps> io.llmslo.dashboard.DashboardScreenshot demo/llm-slo.db docs/dashboard.png [page]}
 */
public final class DashboardScreenshot {

    private DashboardScreenshot() {}

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args.length > 0 ? args[0] : "demo/llm-slo.db");
        Path png = Path.of(args.length > 1 ? args[1] : "docs/dashboard.png");
        String page = args.length > 2 ? args[2] : ""; // e.g. family.html?family=quality#slo=…
        Path profile = Files.createTempDirectory("llmslo-shot");
        try (DashboardServer server = DashboardServer.start(new DashboardQueries("jdbc:sqlite:" + db, null, null), 0)) {
            ChromeDriver d = DashboardBrowserITCase.chrome(profile);
            try {
                d.get(server.uri() + page);
                long end = System.nanoTime() + 60_000_000_000L;
                while (!"true".equals(d.findElement(By.tagName("body")).getAttribute("data-loaded"))) {
                    if (System.nanoTime() > end) {
                        throw new IllegalStateException("page did not load");
                    }
                    Thread.sleep(100);
                }
                Files.createDirectories(png.toAbsolutePath().getParent());
                Files.write(png, d.getScreenshotAs(OutputType.BYTES));
                System.out.println("wrote " + png);
            } finally {
                d.quit();
            }
        }
    }
}
