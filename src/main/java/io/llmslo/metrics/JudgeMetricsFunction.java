package io.llmslo.metrics;

import io.llmslo.judge.JudgeResult;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Pass-through after the judge: {@code judge_results}, {@code judge_errors} and
 * {@code dead_letters_}-style per-code counters {@code judge_errors_<code>} (the codes of
 * {@code JudgeErrors}, bounded).
 */
public final class JudgeMetricsFunction extends RichMapFunction<JudgeResult, JudgeResult> {

    private transient Counter results;
    private transient Counter errors;
    private transient java.util.Map<String, Counter> byCode;
    private transient MetricGroup group;

    @Override
    public void open(OpenContext ctx) {
        group = JobMetrics.group(getRuntimeContext().getMetricGroup());
        results = group.counter("judge_results");
        errors = group.counter("judge_errors");
        byCode = new java.util.HashMap<>();
    }

    @Override
    public JudgeResult map(JudgeResult r) {
        results.inc();
        if (r.error() != null) {
            errors.inc();
            String code = JobMetrics.reasonCategory(r.error());
            Counter c = byCode.get(code);
            if (c == null && byCode.size() < JobMetrics.MAX_REASONS) {
                c = group.counter("judge_errors_" + code);
                byCode.put(code, c);
            }
            if (c != null) {
                c.inc();
            }
        }
        return r;
    }
}
