package io.llmslo.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code bench <what>}: benchmarks that measure and print; they never assert. Each benchmark is
 * its own subcommand class, listed here.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (measure and print, never assert).",
        subcommands = {ThroughputCommand.class, DetectionCommand.class})
public class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
