package io.llmslo.sim;

import java.util.Locale;

/**
 * The gateway surfaces the simulator knows. Each carries a latency and token profile whose
 * p95s sit comfortably inside the DESIGN §3 thresholds, so that a stationary stretch of
 * traffic is clearly "ok" and only injected incidents breach.
 */
public enum Surface {
    //        ttft median/p95     total median/p95        input tokens median, sigma  tok/s  timeout  rubric
    CHAT(250, 450, 3_000, 5_500, 350, 0.80, 70, 20_000, "helpfulness"),
    // Agent totals are built from turns plus tool time (see TrafficSimulator), not from these two.
    AGENT(300, 520, 10_000, 18_000, 5_000, 0.45, 70, 60_000, "helpfulness"),
    RAG(280, 500, 1_000, 1_700, 2_500, 0.35, 90, 6_000, "groundedness"),
    BATCH(400, 900, 20_000, 40_000, 3_000, 0.50, 80, 120_000, "helpfulness");

    final LogNormal ttft;
    final LogNormal total;
    final LogNormal inputTokens;
    final double tokensPerSecond;
    /** What a timed-out attempt costs the caller: the gateway's deadline for this surface. */
    final int timeoutMs;
    final String rubric;

    Surface(double ttftMedian, double ttftP95, double totalMedian, double totalP95,
            double inputMedian, double inputSigma, double tokensPerSecond, int timeoutMs, String rubric) {
        this.ttft = LogNormal.ofMedianP95(ttftMedian, ttftP95);
        this.total = LogNormal.ofMedianP95(totalMedian, totalP95);
        this.inputTokens = new LogNormal(inputMedian, inputSigma);
        this.tokensPerSecond = tokensPerSecond;
        this.timeoutMs = timeoutMs;
        this.rubric = rubric;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Agent loops and chat are interactive; rag and batch callers wait for the whole answer. */
    boolean defaultStreaming() {
        return this == CHAT || this == AGENT;
    }

    static Surface fromWire(String s) {
        for (Surface v : values()) {
            if (v.wireName().equals(s)) {
                return v;
            }
        }
        return null;
    }
}
