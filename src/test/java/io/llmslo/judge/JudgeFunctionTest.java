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

    static List<JudgeResult> results(OneInputStreamOperatorTestHarness<ResponseEvent, JudgeResult> h) {
        List<JudgeResult> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add((JudgeResult) r.getValue());
            }
        }
        return out;
    }

    static OneInputStreamOperatorTestHarness<ResponseEvent, JudgeResult> harness(JobConfig.Judge cfg, long timeoutMs)
            throws Exception {
        var factory = new AsyncWaitOperatorFactory<>(new JudgeFunction(cfg, JudgeBranchITCase.rubricsForTest()),
                timeoutMs, 10, AsyncDataStream.OutputMode.UNORDERED);
        return new OneInputStreamOperatorTestHarness<>(factory,
                TypeInformation.of(ResponseEvent.class).createSerializer(new SerializerConfigImpl()));
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
                h.processElement(new StreamRecord<>(r, r.ts()));
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
                    h.processElement(new StreamRecord<>(r, r.ts()));
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
}
