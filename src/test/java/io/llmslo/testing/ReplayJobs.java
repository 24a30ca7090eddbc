package io.llmslo.testing;

import io.llmslo.config.JobConfig;
import java.nio.file.Path;

/** The replay job the integration tests share: the three JSONL files of a folder → a JDBC URL, judge off, p=2. */
public final class ReplayJobs {

    private ReplayJobs() {}

    /** {@code extra} is appended YAML (top-level keys), empty for none. */
    public static JobConfig files(String name, Path dir, String jdbcUrl, String extra) {
        return JobConfig.parse(name + ".yaml", """
                name: %3$s
                parallelism: 2
                sources:
                  type: files
                  responses: %1$s/responses.jsonl
                  feedback: %1$s/feedback.jsonl
                  ratings: %1$s/ratings.jsonl
                judge:
                  enabled: false
                output:
                  jdbc_url: "%2$s"
                  history_interval: 5m
                %4$s
                """.formatted(dir, jdbcUrl, name, extra));
    }
}
