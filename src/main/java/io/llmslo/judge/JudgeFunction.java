package io.llmslo.judge;

import io.llmslo.config.JobConfig;
import io.llmslo.event.Dimensions;
import io.llmslo.event.ResponseEvent;
import java.time.Duration;
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
 * The judge operator (DESIGN §5): for each sampled response, the rubric of its surface, one judge
 * verdict, one {@link JudgeResult}. Never fails the job for judge trouble: provider errors, open
 * circuit, missing rubric or text, an overloaded pool and the async timeout all become a
 * {@link JudgeResult} with {@code error} set and {@code score == null}.
 *
 * <p>The client is built in {@link #open} (the API key is read there, from the environment of the
 * TaskManager) and closed in {@link #close}. {@link #asyncInvoke} never blocks: the blocking
 * langchain4j call runs on a bounded pool whose size is this instance's share of
 * {@code judge.max_concurrency}, which is the concurrency cap. Every judgement carries a deadline
 * just short of the operator's timeout, so the client gives up (and reports why) before
 * {@link #timeout} has to.
 */
public final class JudgeFunction extends RichAsyncFunction<ResponseEvent, JudgeResult> {

    private static final long serialVersionUID = 1L;
    /** The client's deadline ends this long before the operator's timeout. */
    private static final Duration DEADLINE_MARGIN = Duration.ofSeconds(2);

    private final JobConfig.Judge cfg;
    private final HashMap<String, Rubric> rubrics;
    private final long deadlineNanos;

    private transient JudgeClient client;
    private transient ThreadPoolExecutor pool;

    /**
     * @param rubrics rubrics by id (from {@link RubricLoader#forJob}); the surface → rubric id
     *     mapping is {@code cfg.rubricBySurface()}
     */
    public JudgeFunction(JobConfig.Judge cfg, Map<String, Rubric> rubrics) {
        this.cfg = cfg;
        this.rubrics = new HashMap<>(rubrics);
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
        // judge backlog: requests queued for a judge thread plus those being judged
        io.llmslo.metrics.JobMetrics.group(getRuntimeContext().getMetricGroup())
                .gauge("judge_backlog", () -> pool.getQueue().size() + pool.getActiveCount());
    }

    @Override
    public void asyncInvoke(ResponseEvent r, ResultFuture<JudgeResult> out) {
        long start = System.nanoTime();
        String rubricId = r.surface() == null ? null : cfg.rubricBySurface().get(r.surface());
        Rubric rubric = rubricId == null ? null : rubrics.get(rubricId);
        if (rubric == null) {
            out.complete(List.of(error(r, null, JudgeErrors.NO_RUBRIC,
                    "no rubric for surface '" + r.surface() + "' (judge.rubric_by_surface)", start)));
            return;
        }
        if (r.prompt() == null || r.prompt().isBlank() || r.response() == null || r.response().isBlank()) {
            out.complete(List.of(error(r, rubric, JudgeErrors.NO_TEXT, "the response event has no prompt or response text", start)));
            return;
        }
        try {
            pool.execute(() -> out.complete(List.of(judge(r, rubric, start))));
        } catch (RejectedExecutionException e) {
            out.complete(List.of(error(r, rubric, JudgeErrors.INTERRUPTED, "judge pool is shut down", start)));
        }
    }

    private JudgeResult judge(ResponseEvent r, Rubric rubric, long start) {
        JudgeVerdict v;
        try {
            v = client.judge(rubric, r.prompt(), r.response(), start + deadlineNanos);
        } catch (RuntimeException | Error e) {
            // A bug in a client must not fail the job either; the message names no secret.
            v = JudgeVerdict.error(JudgeErrors.PROVIDER_ERROR, e.getClass().getSimpleName(), 0);
        }
        return result(r, rubric, v, start);
    }

    @Override
    public void timeout(ResponseEvent r, ResultFuture<JudgeResult> out) {
        String rubricId = r.surface() == null ? null : cfg.rubricBySurface().get(r.surface());
        Rubric rubric = rubricId == null ? null : rubrics.get(rubricId);
        out.complete(List.of(error(r, rubric, JudgeErrors.TIMEOUT, "no verdict within the judge operator timeout", System.nanoTime())));
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

    private JudgeResult result(ResponseEvent r, Rubric rubric, JudgeVerdict v, long start) {
        long latencyMs = (System.nanoTime() - start) / 1_000_000;
        return new JudgeResult(r.requestId(), r.ts(), Dimensions.of(r), rubric.id(), rubric.version(),
                rubric.passThreshold(), client.model(), v.score(), Secrets.scrubReason(v.reason(), null), latencyMs, v.error(),
                v.inputTokens(), v.outputTokens());
    }

    private JudgeResult error(ResponseEvent r, Rubric rubric, String code, String detail, long start) {
        long latencyMs = Math.max(0, (System.nanoTime() - start) / 1_000_000);
        return new JudgeResult(r.requestId(), r.ts(), Dimensions.of(r), rubric == null ? null : rubric.id(),
                rubric == null ? 0 : rubric.version(), rubric == null ? 0 : rubric.passThreshold(),
                client == null ? cfg.model() : client.model(), null, detail, latencyMs, code, 0, 0);
    }
}
