package io.llmslo.cli;

import io.llmslo.config.JobConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobExecutionResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run --job jobs/<name>.yaml}: local MiniCluster, or the cluster under {@code flink run}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the SLO job described by a job file.")
public class RunCommand implements Callable<Integer> {

    @Option(names = "--job", required = true, description = "Job file, e.g. jobs/replay.yaml")
    Path job;

    @Override
    public Integer call() throws Exception {
        JobConfig cfg = JobConfig.load(job);
        long start = System.nanoTime();
        JobExecutionResult result = JobRunner.run(cfg);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (result != null && !result.isJobExecutionResult()) {
            // detached (web/REST submission): execute() returned once the job was submitted
            System.out.printf("job %s submitted as %s%n", cfg.name, result.getJobID());
        } else if (result != null && !result.getJobID().toString().isEmpty() && cfg.bounded()) {
            String url = JobRunner.jdbcSettings(cfg).redactedUrl();
            System.out.printf("job %s finished in %.1f s; tables at %s%n", cfg.name, seconds, url);
            try (Connection c = JobRunner.jdbcSettings(cfg).connect()) {
                System.out.print(RunSummary.read(cfg, c).format(url, engineLog()));
            }
        }
        return 0;
    }

    /** Where log4j2.xml sends the engine's warnings, when it wrote any. */
    static String engineLog() {
        Path log = Path.of(System.getProperty("llmslo.log.file",
                Path.of(System.getProperty("java.io.tmpdir"), "llm-slo.log").toString()));
        return Files.isRegularFile(log) ? log.toString() : null;
    }
}
