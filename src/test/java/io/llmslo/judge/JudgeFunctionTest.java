package io.llmslo.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.config.JobConfig;
import io.llmslo.event.ResponseEvent;
import io.llmslo.judge.FakeJudgeServer.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The judge operator in Flink's AsyncWaitOperator test harness. */
class JudgeFunctionTest {

    static List<JudgeResult> results(OneInputStreamOperatorTestHarness<JudgeRequest, JudgeResult> h) {
        List<JudgeResult> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add((JudgeResult) r.getValue());
            }
        }
        return out;
    }

    static JudgeRequest request(ResponseEvent r, JobConfig.Judge cfg) {
        return JudgeRequest.of(r, cfg.rubricBySurface());
    }

    static OneInputStreamOperatorTestHarness<JudgeRequest, JudgeResult> harness(JobConfig.Judge cfg, long timeoutMs)
            throws Exception {
        return harness(cfg, timeoutMs, BacklogBudget.NONE);
    }

    static OneInputStreamOperatorTestHarness<JudgeRequest, JudgeResult> harness(JobConfig.Judge cfg, long timeoutMs,
            BacklogBudget budget) throws Exception {
        var factory = new AsyncWaitOperatorFactory<>(new JudgeFunction(cfg, JudgeBranchITCase.rubricsForTest(), budget),
                timeoutMs, 10, AsyncDataStream.OutputMode.UNORDERED);
        return new OneInputStreamOperatorTestHarness<>(factory,
                TypeInformation.of(JudgeRequest.class).createSerializer(new SerializerConfigImpl()));
    }

    @Test
    void theOperatorTimeoutCompletesWithAnErrorResultNotAnException() throws Exception {
        try (FakeJudgeServer server = new FakeJudgeServer()) {
            server.always(Reply.hang(10_000));
            // The client's own HTTP timeout (20 s) is far away: the operator's 200 ms fires first.
            JobConfig.Judge cfg = JudgeBranchITCase.judgeCfg("openai", server.baseUrl("openai"), 0, Duration.ofSeconds(20));
            try (var h = harness(cfg, 200)) {
                h.open();
                ResponseEvent r = JudgeBranchITCase.responses(2).get(1);
                h.processElement(new StreamRecord<>(request(r, cfg), r.ts()));
                // Wait until the request reached the server, then let the operator's timer fire.
                long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (server.requests().isEmpty() && System.nanoTime() < until) {
                    Thread.sleep(10);
                }
                h.setProcessingTime(h.getProcessingTime() + 1_000);
                h.endInput(); // runs the mails that emit completed entries; nothing is left in flight
                List<JudgeResult> out = results(h);
                assertThat(out).hasSize(1);
                JudgeResult j = out.get(0);
                assertThat(j.requestId()).isEqualTo("req-1");
                assertThat(j.error()).isEqualTo(JudgeErrors.TIMEOUT);
                assertThat(j.score()).isNull();
                assertThat(j.rubric()).isEqualTo("helpfulness");
                assertThat(j.dims()).containsEntry("surface", "chat");
            }
        }
    }

    @Test
    void aGoodVerdictBecomesAJudgeResultWithTheRubricAndTokens() throws Exception {
        try (FakeJudgeServer server = new FakeJudgeServer()) {
            server.always(Reply.answer("{\"score\": 5, \"reason\": \"Correct.\"}"));
            JobConfig.Judge cfg = JudgeBranchITCase.judgeCfg("openai", server.baseUrl("openai"), 0, Duration.ofSeconds(5));
            try (var h = harness(cfg, 10_000)) {
                h.open();
                for (ResponseEvent r : JudgeBranchITCase.responses(4)) {
                    h.processElement(new StreamRecord<>(request(r, cfg), r.ts()));
                }
                h.endInput(); // waits for the in-flight judgements
                Map<String, JudgeResult> byId = new HashMap<>();
                results(h).forEach(j -> byId.put(j.requestId(), j));
                assertThat(byId).containsOnlyKeys("req-0", "req-1", "req-2", "req-3");
                assertThat(byId.get("req-1").score()).isEqualTo(5);
                assertThat(byId.get("req-1").inputTokens()).isEqualTo(812);
                assertThat(byId.get("req-0").rubric()).isEqualTo("groundedness"); // surface rag
                assertThat(byId.get("req-1").latencyMs()).isGreaterThanOrEqualTo(0);
            }
        }
    }

    @Test
    void aRequestOlderThanTheBacklogBudgetIsShedAsACountedErrorWithoutACall() throws Exception {
        try (FakeJudgeServer server = new FakeJudgeServer()) {
            server.always(Reply.answer("{\"score\": 5, \"reason\": \"Correct.\"}"));
            JobConfig.Judge cfg = JudgeBranchITCase.judgeCfg("openai", server.baseUrl("openai"), 0, Duration.ofSeconds(5));
            try (var h = harness(cfg, 10_000, BacklogBudget.of(Duration.ofMinutes(10)))) {
                h.open();
                List<ResponseEvent> rs = JudgeBranchITCase.responses(4);
                long now = System.currentTimeMillis();
                // two waited an hour (shed), two were written just now (judged)
                for (int i = 0; i < rs.size(); i++) {
                    long enqueuedAt = i % 2 == 0 ? now - Duration.ofHours(1).toMillis() : now;
                    h.processElement(new StreamRecord<>(request(rs.get(i), cfg).enqueued(enqueuedAt), rs.get(i).ts()));
                }
                h.endInput();
                List<JudgeResult> out = results(h);
                assertThat(out).hasSize(4);
                assertThat(out.stream().filter(j -> JudgeErrors.SHED_BACKLOG.equals(j.error())).map(JudgeResult::requestId))
                        .containsExactlyInAnyOrder(rs.get(0).requestId(), rs.get(2).requestId());
                assertThat(out.stream().filter(JudgeResult::ok).count()).isEqualTo(2);
                // shed ones never reached the judge: one HTTP request per judged one
                assertThat(server.requests()).hasSize(2);
                JudgeResult shed = out.stream().filter(j -> !j.ok()).findFirst().orElseThrow();
                assertThat(shed.rubric()).isNotNull(); // the rubric it would have been judged with
                assertThat(shed.reason()).contains("judge.max_backlog 600 s");
            }
        }
    }
}
