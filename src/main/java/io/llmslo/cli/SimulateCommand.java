package io.llmslo.cli;

import io.llmslo.sim.Scenario;
import io.llmslo.sim.ScenarioException;
import io.llmslo.sim.SimulationResult;
import io.llmslo.sim.TrafficSimulator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code simulate --scenario <file> --out <dir>}: writes realistic gateway traffic as JSONL (DESIGN §8). */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {
            "Writes responses.jsonl, feedback.jsonl and ratings.jsonl (DESIGN §2) for a traffic scenario.",
            "The output is byte-identical for the same scenario and seed."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:files written", "1:I/O error", "2:invalid scenario or usage"})
public class SimulateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", required = true, paramLabel = "<yaml file>",
            description = "Scenario YAML: a file path or classpath:scenarios/month.yaml, classpath:scenarios/sample.yaml.")
    String scenario;

    @Option(names = "--out", required = true, paramLabel = "<dir>",
            description = "Output directory (created if missing; existing files are replaced).")
    Path out;

    @Option(names = "--seed", paramLabel = "<long>",
            description = "Random seed; overrides the scenario's 'seed'.")
    Long seed;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outw = spec.commandLine().getOut();
        Scenario sc;
        try {
            sc = Scenario.load(scenario);
        } catch (ScenarioException e) {
            err.println("simulate: " + e.getMessage());
            err.flush();
            return 2;
        }
        if (seed != null) {
            sc = sc.withSeed(seed);
        }
        long t0 = System.nanoTime();
        SimulationResult result;
        try {
            result = TrafficSimulator.run(sc, out);
        } catch (IOException e) {
            err.println("simulate: cannot write to " + out + ": " + e);
            err.flush();
            return 1;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        outw.printf("simulate: %s, %d days from %s, seed %d%n", sc.source(), sc.days(), sc.start(), sc.seed());
        outw.printf("simulate: wrote %s in %.1f s%n", result.summary(), seconds);
        outw.flush();
        return 0;
    }
}
