package io.llmslo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.llmslo.config.ConfigException;
import io.llmslo.config.JobConfig;
import io.llmslo.openslo.OpenSloExporter;
import io.llmslo.openslo.OpenSloImporter;
import io.llmslo.slo.SloCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slo import|export --openslo <file>}: the job file's SLOs as OpenSLO v1 documents and back. */
@Command(name = "slo", mixinStandardHelpOptions = true,
        description = "SLO definitions in other formats (OpenSLO v1).",
        subcommands = {SloCommand.Import.class, SloCommand.Export.class})
public class SloCommand {

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Reads OpenSLO v1 documents (SLO, SLI, AlertPolicy, AlertCondition) into a job file's",
                "slo.definitions, slo.tiers / slo.quality_tiers and cohorts.grouping_sets; catalogue SLOs the file",
                "does not mention are disabled. Prints the job file (or writes --out); comments are not kept."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:imported", "2:the OpenSLO file or the job file cannot be mapped (message names document and field)"})
    static class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--openslo", required = true, paramLabel = "<file>", description = "OpenSLO v1 YAML (multi-document)")
        Path openslo;

        @Option(names = "--job", required = true, paramLabel = "<job.yaml>", description = "The job file to import into")
        Path job;

        @Option(names = "--out", paramLabel = "<file>", description = "Write the job file here (default: print it)")
        Path out;

        @Override
        public Integer call() throws IOException {
            String yaml = read(openslo);
            String jobText = read(job);
            JsonNode root = new YAMLMapper().readTree(jobText);
            if (root == null || !root.isObject()) {
                throw new ConfigException(job + ": expected a YAML map at the top level");
            }
            ObjectNode result = OpenSloImporter.importInto(openslo.toString(), yaml, job.toString(), (ObjectNode) root);
            String text = new YAMLMapper(new YAMLFactory().enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)).writeValueAsString(result);
            write(spec.commandLine().getOut(), out, text);
            if (out != null) {
                spec.commandLine().getErr().printf("slo import: %s -> %s%n", openslo, out);
            }
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Writes the job's SLOs (or the default catalogue) as OpenSLO v1 documents.")
    static class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--openslo", required = true, paramLabel = "<file>", description = "Output file, '-' for stdout")
        String openslo;

        @Option(names = "--job", paramLabel = "<job.yaml>", description = "Job file (default: the built-in catalogue and cohorts)")
        Path job;

        @Override
        public Integer call() throws IOException {
            String text;
            if (job == null) {
                text = OpenSloExporter.export(SloCatalog.defaults().all(), defaultGroupingSets());
            } else {
                JobConfig cfg = JobConfig.load(job);
                text = OpenSloExporter.export(cfg.slo.all(), cfg.groupingSets);
            }
            write(spec.commandLine().getOut(), "-".equals(openslo) ? null : Path.of(openslo), text);
            return 0;
        }
    }

    static List<List<String>> defaultGroupingSets() {
        return JobConfig.parse("<defaults>", "output: {jdbc_url: 'jdbc:sqlite:x.db'}\nsources: {responses: x}\n")
                .groupingSets;
    }

    private static String read(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new ConfigException(p + ": no such file");
        }
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new ConfigException(p + ": cannot read: " + e.getMessage());
        }
    }

    private static void write(PrintWriter stdout, Path out, String text) throws IOException {
        if (out == null) {
            stdout.print(text);
            stdout.flush();
        } else {
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            Files.writeString(out, text);
        }
    }
}
