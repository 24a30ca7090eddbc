package io.llmslo.judge;

import io.llmslo.pipeline.JudgeBranch;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.config.JobConfig;
import io.llmslo.event.Outcome;
import io.llmslo.event.ResponseEvent;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sampler and the async judge in a MiniCluster (parallelism 2, no Kryo fallback). */
class JudgeBranchITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static Map<String, Rubric> rubrics;

    @BeforeAll
    static void load() {
        rubrics = rubricsForTest();
    }

    static Map<String, Rubric> rubricsForTest() {
        return RubricLoader.forJob(Path.of("rubrics"), Map.of("chat", "helpfulness", "rag", "groundedness"));
    }

    static StreamExecutionEnvironment env() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.OBJECT_REUSE, true); // as JobRunner.engineConfig
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    static List<ResponseEvent> responses(int n) {
        List<ResponseEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HashMap<String, String> cohort = new HashMap<>();
            cohort.put("region", i % 2 == 0 ? "eu" : "us");
            out.add(new ResponseEvent("req-" + i, 1_795_000_000_000L + i * 1000L, i % 3 == 0 ? "rag" : "chat", "m-1", "p",
                    cohort, false, i == 7 ? Outcome.ERROR : Outcome.SUCCESS, false, 120.0, 900.0, null, null, 50L, 80L,
                    0.001, null, null, "Question " + i + ": how do I reverse a list in Python?",
                    i == 7 ? null : "Use my_list[::-1] to get a reversed copy (" + i + ")."));
        }
        return out;
    }

    static JobConfig.Judge judgeCfg(String provider, String baseUrl, int maxRetries) {
        return judgeCfg(provider, baseUrl, maxRetries, Duration.ofMillis(500));
    }

    static JobConfig.Judge judgeCfg(String provider, String baseUrl, int maxRetries, Duration timeout) {
        HashMap<String, String> bySurface = new HashMap<>(Map.of("chat", "helpfulness", "rag", "groundedness"));
        return new JobConfig.Judge(true, provider, baseUrl, provider.equals("offline") ? "e5-small-v2-anchors" : "judge-model",
                null, timeout, 300, 20, 4, 1000, maxRetries, Duration.ofMillis(10), 50,
                Duration.ofSeconds(30), "rubrics", bySurface);
    }

    static List<JudgeResult> run(List<ResponseEvent> input, JobConfig.Judge judge) throws Exception {
        StreamExecutionEnvironment env = env();
        DataStream<ResponseEvent> responses = env.fromData(input, TypeInformation.of(ResponseEvent.class));
        DataStream<ResponseEvent> sampled = JudgeBranch.sample(responses, new JobConfig.Sampling(1.0, new HashMap<>(), 0));
        List<JudgeResult> out = new ArrayList<>();
        JudgeBranch.asyncJudge(sampled, judge, rubrics).executeAndCollect().forEachRemaining(out::add);
        return out;
    }

    @Test
    void judgeServerDownYieldsAnErrorResultForEverySampledRecordAndTheJobFinishes() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort(); // closed again: connections are refused
        }
        List<JudgeResult> out = run(responses(40), judgeCfg("openai", "http://127.0.0.1:" + deadPort + "/v1", 1));
        // 40 responses, one of them failed (not judgeable): 39 results, all errors, none a score.
        assertThat(out).hasSize(39);
        assertThat(out).allSatisfy(r -> {
            assertThat(r.ok()).isFalse();
            assertThat(r.score()).isNull();
            assertThat(r.error()).isIn(JudgeErrors.CONNECTION, JudgeErrors.CIRCUIT_OPEN);
            assertThat(r.judgeModel()).isEqualTo("judge-model");
        });
        // Once the breaker opens, the rest fail fast without a call.
        assertThat(out).anyMatch(r -> r.error().equals(JudgeErrors.CIRCUIT_OPEN));
        assertThat(out).extracting(JudgeResult::requestId).doesNotContain("req-7").doesNotHaveDuplicates();
    }

    @Test
    void offlineJudgeScoresEverySampledRecordWithTheRubricOfItsSurface() throws Exception {
        // a generous timeout: loading the model on a busy machine must not turn scores into timeouts
        List<JudgeResult> out = run(responses(12), judgeCfg("offline", null, 0, Duration.ofSeconds(120)));
        assertThat(out).hasSize(11);
        assertThat(out).allSatisfy(r -> {
            assertThat(r.ok()).as(String.valueOf(r)).isTrue();
            assertThat(r.score()).isBetween(1, 5);
            assertThat(r.rubric()).isEqualTo(r.dims().get("surface").equals("rag") ? "groundedness" : "helpfulness");
            assertThat(r.passThreshold()).isEqualTo(4);
            assertThat(r.dims()).containsKeys("surface", "model", "cohort.region");
        });
    }
}
