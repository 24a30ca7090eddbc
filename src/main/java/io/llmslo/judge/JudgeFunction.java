package io.llmslo.judge;

import io.llmslo.config.JobConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * The judge operator (DESIGN §5): for each sampled request, one judge verdict per rubric it names,
 * one {@link JudgeResult} each. Never fails the job for judge trouble: provider errors, open
 * circuit, missing rubric or text, an overloaded pool and the async timeout all become a
 * {@link JudgeResult} with {@code error} set and {@code score == null}. In the judge worker a
 * request older than the {@link BacklogBudget} is shed ({@code shed_backlog}) without a call,
 * checked when it arrives and again when a judge thread takes it.
 *
 * <p>The client is built in {@link #open} (the API key is read there, from the environment of the
 * TaskManager) and closed in {@link #close}. {@link #asyncInvoke} never blocks: the blocking
 * langchain4j call runs on a bounded pool whose size is this instance's share of
 * {@code judge.max_concurrency}, which is the concurrency cap. Every judgement carries a deadline
 * just short of the operator's timeout, so the client gives up (and reports why) before
 * {@link #timeout} has to.
 */
public final class JudgeFunction extends RichAsyncFunction<JudgeRequest, JudgeResult> {

    private static final long serialVersionUID = 1L;
    /** The client's deadline ends this long before the operator's timeout. */
    private static final Duration DEADLINE_MARGIN = Duration.ofSeconds(2);

    private final JobConfig.Judge cfg;
    private final HashMap<String, Rubric> rubrics;
    private final long deadlineNanos;
    private final BacklogBudget budget;

    private transient JudgeClient client;
    private transient ThreadPoolExecutor pool;
    private transient org.apache.flink.metrics.Counter shed;
    private transient volatile long lastAgeMs;

    /**
     * @param rubrics rubrics by id (from {@link RubricLoader#forJob}); the surface → rubric id
     *     mapping is {@code cfg.rubricBySurface()}
     */
    public JudgeFunction(JobConfig.Judge cfg, Map<String, Rubric> rubrics) {
        this(cfg, rubrics, BacklogBudget.NONE);
    }

    public JudgeFunction(JobConfig.Judge cfg, Map<String, Rubric> rubrics, BacklogBudget budget) {
        this.cfg = cfg;
        this.rubrics = new HashMap<>(rubrics);
        this.budget = budget;
        Duration timeout = JudgeClients.asyncTimeout(cfg);
        this.deadlineNanos = timeout.minus(DEADLINE_MARGIN).isNegative()
                ? timeout.toNanos() / 2
                : timeout.minus(DEADLINE_MARGIN).toNanos();
    }

    @Override
    public void open(OpenContext openContext) {
        int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        int threads = JudgeClients.concurrencyPerInstance(cfg, parallelism);
        client = JudgeClients.create(cfg, System.getenv(), parallelism);
        AtomicInteger n = new AtomicInteger();
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        // Unbounded queue, but never more than the operator's capacity in flight.
        pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "llm-judge-" + subtask + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        var group = io.llmslo.metrics.JobMetrics.group(getRuntimeContext().getMetricGroup());
        // judge backlog: requests queued for a judge thread plus those being judged
        group.gauge("judge_backlog", () -> pool.getQueue().size() + pool.getActiveCount());
        // worker only: how long the latest request had waited since the main job wrote it
        group.gauge("judge_backlog_age_ms", () -> lastAgeMs);
        shed = group.counter("judge_shed_backlog");
    }

    @Override
    public void asyncInvoke(JudgeRequest q, ResultFuture<JudgeResult> out) {
        long start = System.nanoTime();
        long now = System.currentTimeMillis();
        lastAgeMs = budget.ageMs(q, now);
        if (q.rubrics() == null || q.rubrics().isEmpty()) {
            out.complete(List.of(error(q, null, JudgeErrors.NO_RUBRIC,
                    "no rubric for surface '" + q.surface() + "' (judge.rubric_by_surface)", start)));
            return;
        }
        if (budget.shed(q, now)) {
            out.complete(shedAll(q, now, start));
            return;
        }
        try {
            pool.execute(() -> out.complete(judgeAll(q, start)));
        } catch (RejectedExecutionException e) {
            out.complete(List.of(error(q, rubrics.get(q.rubrics().get(0)), JudgeErrors.INTERRUPTED,
                    "judge pool is shut down", start)));
        }
    }

    private List<JudgeResult> shedAll(JudgeRequest q, long now, long start) {
        List<JudgeResult> results = new ArrayList<>();
        for (String id : q.rubrics()) {
            results.add(error(q, rubrics.get(id), id, JudgeErrors.SHED_BACKLOG, budget.reason(q, now), start));
            shed.inc();
        }
        return results;
    }

    private List<JudgeResult> judgeAll(JudgeRequest q, long start) {
        long now = System.currentTimeMillis();
        if (budget.shed(q, now)) {
            return shedAll(q, now, start); // it waited for a judge thread past the budget
        }
        List<JudgeResult> results = new ArrayList<>();
        for (String id : q.rubrics()) {
            results.add(judge(q, id, start));
        }
        return results;
    }

    private JudgeResult judge(JudgeRequest q, String rubricId, long start) {
        Rubric rubric = rubrics.get(rubricId);
        if (rubric == null) {
            return error(q, null, rubricId, JudgeErrors.NO_RUBRIC, "no rubric '" + rubricId + "' loaded", start);
        }
        if (q.prompt() == null || q.prompt().isBlank() || q.response() == null || q.response().isBlank()) {
            return error(q, rubric, JudgeErrors.NO_TEXT, "the response event has no prompt or response text", start);
        }
        JudgeVerdict v;
        try {
            v = client.judge(rubric, q.prompt(), q.response(), start + deadlineNanos);
        } catch (RuntimeException | Error e) {
            // A bug in a client must not fail the job either; the message names no secret.
            v = JudgeVerdict.error(JudgeErrors.PROVIDER_ERROR, e.getClass().getSimpleName(), 0);
        }
        return result(q, rubric, v, start);
    }

    @Override
    public void timeout(JudgeRequest q, ResultFuture<JudgeResult> out) {
        List<JudgeResult> results = new ArrayList<>();
        List<String> ids = q.rubrics() == null || q.rubrics().isEmpty() ? java.util.Collections.singletonList(null) : q.rubrics();
        for (String id : ids) {
            results.add(error(q, id == null ? null : rubrics.get(id), id, JudgeErrors.TIMEOUT,
                    "no verdict within the judge operator timeout", System.nanoTime()));
        }
        out.complete(results);
    }

    @Override
    public void close() throws Exception {
        if (pool != null) {
            pool.shutdownNow();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
        if (client != null) {
            client.close();
        }
    }

    private JudgeResult result(JudgeRequest q, Rubric rubric, JudgeVerdict v, long start) {
        long latencyMs = (System.nanoTime() - start) / 1_000_000;
        return new JudgeResult(q.requestId(), q.ts(), q.dims(), rubric.id(), rubric.version(),
                rubric.passThreshold(), client.model(), v.score(), Secrets.scrubReason(v.reason(), null), latencyMs, v.error(),
                v.inputTokens(), v.outputTokens());
    }

    private JudgeResult error(JudgeRequest q, Rubric rubric, String code, String detail, long start) {
        return error(q, rubric, rubric == null ? null : rubric.id(), code, detail, start);
    }

    /** @param rubricId the requested rubric, kept when it is not loaded (a worker with other rubrics) */
    private JudgeResult error(JudgeRequest q, Rubric rubric, String rubricId, String code, String detail, long start) {
        long latencyMs = Math.max(0, (System.nanoTime() - start) / 1_000_000);
        return new JudgeResult(q.requestId(), q.ts(), q.dims(), rubric == null ? rubricId : rubric.id(),
                rubric == null ? 0 : rubric.version(), rubric == null ? 0 : rubric.passThreshold(),
                client == null ? cfg.model() : client.model(), null, detail, latencyMs, code, 0, 0);
    }
}
