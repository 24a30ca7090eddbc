package io.llmslo.cli;

import io.llmslo.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar target/llm-slo.jar <command>}; the same main class serves {@code flink run}. */
@Command(name = "llm-slo", mixinStandardHelpOptions = true, version = "llm-slo 0.1.0",
        description = "Per-cohort quality, latency, cost and availability SLOs for LLM traffic on Flink.",
        subcommands = {RunCommand.class, SimulateCommand.class, DemoCommand.class, DashboardCommand.class, ReportCommand.class,
                RubricCommand.class, RatingsCommand.class, SloCommand.class, PlanCommand.class,
                io.llmslo.bench.BenchCommand.class})
public class Main {

    public static void main(String[] args) {
        int code = execute(args);
        if (Main.class.getClassLoader() != ClassLoader.getSystemClassLoader()) {
            // loaded from a job jar by Flink (`flink run`, or POST /jars/<id>/run, where main runs
            // inside the JobManager): System.exit would take Flink's JVM down with it
            if (code != 0) {
                throw new IllegalStateException("llm-slo " + String.join(" ", args) + " failed (exit code " + code
                        + "), see the message above");
            }
            return;
        }
        System.exit(code);
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            Throwable root = ex;
            while (root.getCause() != null && !(root instanceof ConfigException)) {
                root = root.getCause();
            }
            if (root instanceof ConfigException) {
                cmd.getErr().println("config error: " + root.getMessage());
                return 2;
            }
            throw ex;
        });
        return cli.execute(args);
    }
}
