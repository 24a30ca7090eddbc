package io.llmslo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code plan --job}: Flink's execution plan, and on it the scale property of the per-event path
 * (issue 9): every operator an observation passes on its way from a source to the SLO evaluator
 * runs at the job's parallelism; none is a parallelism-1 funnel.
 */
class PlanCommandTest {

    static JsonNode plan(Path job) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute("plan", "--job", job.toString());
        assertThat(exit).as(err.toString()).isZero();
        return new ObjectMapper().readTree(out.toString());
    }

    /** The operators on some path from a source into the node named {@code target}, and it. */
    static Map<Integer, JsonNode> ancestorsOf(JsonNode plan, String target) {
        Map<Integer, JsonNode> byId = new HashMap<>();
        Integer start = null;
        for (JsonNode n : plan.get("nodes")) {
            byId.put(n.get("id").asInt(), n);
            if (n.get("type").asText().equals(target)) {
                start = n.get("id").asInt();
            }
        }
        assertThat(start).as("operator " + target + " in the plan").isNotNull();
        Map<Integer, JsonNode> seen = new HashMap<>();
        Deque<Integer> todo = new ArrayDeque<>();
        todo.add(start);
        while (!todo.isEmpty()) {
            JsonNode n = byId.get(todo.poll());
            if (seen.put(n.get("id").asInt(), n) != null) {
                continue;
            }
            for (JsonNode p : n.path("predecessors")) {
                todo.add(p.get("id").asInt());
            }
        }
        return seen;
    }

    static void assertNoFunnelOnThePerEventPath(JsonNode plan, int parallelism) {
        Map<Integer, JsonNode> path = ancestorsOf(plan, "slo-evaluator");
        Set<String> names = new HashSet<>();
        for (JsonNode n : path.values()) {
            names.add(n.get("type").asText());
            assertThat(n.get("parallelism").asInt()).as(n.get("type").asText()).isEqualTo(parallelism);
        }
        assertThat(names).contains("request-joiner", "cohort-partials", "slo-evaluator");
    }

    @Test
    void theReplayJobHasNoParallelismOneOperatorBetweenItsSourcesAndTheEvaluator() throws Exception {
        JsonNode plan = plan(Path.of("jobs/replay.yaml"));
        assertNoFunnelOnThePerEventPath(plan, 2);
    }

    /**
     * With the judge on, the judge side's observations have their own local aggregation: the
     * joiner's aggregation has one input, so Flink chains it to the joiner (observations never
     * cross an exchange), in the plan (one FORWARD predecessor) and in the job graph (one task).
     */
    @Test
    void withTheJudgeOnTheJoinersLocalAggregationIsChainedToTheJoiner() throws Exception {
        Path job = Path.of("jobs/replay.yaml");
        JsonNode plan = plan(job);
        JsonNode partials = null;
        Map<Integer, String> names = new HashMap<>();
        for (JsonNode n : plan.get("nodes")) {
            names.put(n.get("id").asInt(), n.get("type").asText());
            if (n.get("type").asText().equals("cohort-partials")) {
                partials = n;
            }
        }
        assertThat(names).containsValue("judge-partials");
        assertThat(partials.get("predecessors")).hasSize(1);
        assertThat(names.get(partials.get("predecessors").get(0).get("id").asInt())).isEqualTo("request-joiner");
        assertThat(partials.get("predecessors").get(0).get("ship_strategy").asText()).isEqualTo("FORWARD");

        JobGraph graph = JobRunner.graph(io.llmslo.config.JobConfig.load(job)).getStreamGraph().getJobGraph();
        List<String> tasks = new ArrayList<>();
        for (JobVertex v : graph.getVertices()) {
            tasks.add(v.getName());
        }
        assertThat(tasks).anySatisfy(t -> assertThat(t).contains("request-joiner").contains("cohort-partials"));
    }

    @Test
    void aKafkaJobAtParallelismFourHasNoneEither(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("kafka.yaml");
        // a plan is built, not run: the broker and database are never contacted
        Files.writeString(job, """
                name: kafka-plan
                parallelism: 4
                sources:
                  type: kafka
                  bootstrap_servers: 127.0.0.1:1
                  topics: {responses: llm.responses, feedback: llm.feedback, ratings: llm.ratings}
                judge:
                  enabled: false
                output:
                  jdbc_url: jdbc:postgresql://127.0.0.1:1/none
                state:
                  backend: rocksdb
                """);
        assertNoFunnelOnThePerEventPath(plan(job), 4);
    }
}
