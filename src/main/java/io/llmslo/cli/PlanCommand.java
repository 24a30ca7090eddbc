package io.llmslo.cli;

import io.llmslo.config.JobConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code plan --job <file>}: Flink's JSON execution plan of the job (operators, parallelism,
 * edges and their partitioning), built exactly as {@code run} builds it but not executed; no
 * source, table or judge is contacted.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Print Flink's JSON execution plan of a job file (operators, parallelism, edges).")
public class PlanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--job", required = true, description = "Job file, e.g. jobs/production.yaml")
    Path job;

    @Override
    public Integer call() {
        JobConfig cfg = JobConfig.load(job);
        spec.commandLine().getOut().println(JobRunner.graph(cfg).getExecutionPlan());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
