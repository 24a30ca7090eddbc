package io.llmslo.cli;

import io.llmslo.config.ConfigException;
import io.llmslo.config.JobConfig;
import io.llmslo.judge.CalibrationStats;
import io.llmslo.judge.JudgeClient;
import io.llmslo.judge.JudgeClients;
import io.llmslo.judge.JudgeVerdict;
import io.llmslo.judge.Rubric;
import io.llmslo.judge.RubricLoader;
import io.llmslo.judge.RubricProblem;
import io.llmslo.judge.RubricValidator;
import io.llmslo.judge.offline.CohenKappa;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rubric validate <dir|file>} and {@code rubric calibrate <file> [--job job.yaml]}
 * (DESIGN §6, §8). Exit codes: 0 ok; 1 invalid rubric, bad job file or no verdict at all; 3 with
 * {@code --fail-below} when agreement on useful is below the rubric's {@code min_agreement}.
 */
@Command(name = "rubric", mixinStandardHelpOptions = true,
        description = "Validate rubric files and calibrate the judge on a rubric's anchors.",
        subcommands = {RubricCommand.Validate.class, RubricCommand.Calibrate.class})
public final class RubricCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check rubric files; print every problem with its file, line and field.")
    static final class Validate implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "<dir|file>", description = "A rubric file, or a directory of *.yaml rubrics.")
        Path path;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            RubricLoader.Loaded l = RubricLoader.validateAll(path);
            if (!l.problems().isEmpty()) {
                l.problems().forEach(err::println);
                long files = l.problems().stream().map(RubricProblem::file).distinct().count();
                err.printf("%d problem%s in %d file%s%n", l.problems().size(), l.problems().size() == 1 ? "" : "s",
                        files, files == 1 ? "" : "s");
                err.flush();
                return 1;
            }
            for (Rubric r : l.rubrics().values()) {
                out.printf("ok  %-14s version %d, scale %d..%d, pass >= %d, %d criteria, %d anchors  (%s)%n", r.id(),
                        r.version(), r.scaleMin(), r.scaleMax(), r.passThreshold(), r.criteria().size(),
                        r.examples().size(), r.source());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "calibrate", mixinStandardHelpOptions = true,
            description = {"Run the judge over a rubric's anchors and report its agreement with their human scores.",
                "Uses the judge of --job (provider, model, key variable); without it the offline embedding judge,",
                "which scores each anchor held out (it never votes for itself)."})
    static final class Calibrate implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "<file>", description = "The rubric file.")
        Path file;

        @Option(names = "--job", paramLabel = "<job.yaml>", description = "Job file whose `judge:` section to use.")
        Path job;

        @Option(names = "--fail-below", description = "Exit 3 if agreement on useful is below the rubric's min_agreement.")
        boolean failBelow;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            RubricValidator.Result v = RubricValidator.validate(file);
            if (!v.valid()) {
                v.problems().forEach(err::println);
                err.flush();
                return 1;
            }
            Rubric rubric = v.rubric();
            JobConfig.Judge judge;
            try {
                judge = job == null ? defaultJudge() : JobConfig.load(job).judge;
                JudgeClients.preflight(judge, System.getenv());
            } catch (ConfigException e) {
                err.println(e.getMessage());
                err.flush();
                return 1;
            }
            List<JudgeVerdict> verdicts = judgeAnchors(rubric, judge);
            CalibrationStats s = CalibrationStats.of(rubric);
            int errors = 0;
            for (int i = 0; i < verdicts.size(); i++) {
                JudgeVerdict jv = verdicts.get(i);
                Rubric.Anchor a = rubric.examples().get(i);
                if (jv.ok()) {
                    s.add(jv.score(), a.score(), rubric.passes(a.score()), rubric.passThreshold());
                } else {
                    errors++;
                }
            }
            report(out, rubric, judge, verdicts, s, errors);
            out.flush();
            if (s.nPairs() == 0) {
                err.println("no anchor was scored: every judge call failed (see above)");
                err.flush();
                return 1;
            }
            return failBelow && s.usefulAgreement() < rubric.minAgreement() ? 3 : 0;
        }

        private static List<JudgeVerdict> judgeAnchors(Rubric rubric, JobConfig.Judge cfg) throws Exception {
            int threads = JudgeClients.concurrencyPerInstance(cfg, 1);
            long budget = JudgeClients.budget(cfg).toNanos();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try (JudgeClient client = JudgeClients.create(cfg, System.getenv(), 1)) {
                List<Future<JudgeVerdict>> futures = new ArrayList<>();
                for (Rubric.Anchor a : rubric.examples()) {
                    futures.add(pool.submit(() -> client.judge(rubric, a.prompt(), a.response(), System.nanoTime() + budget)));
                }
                List<JudgeVerdict> out = new ArrayList<>();
                for (Future<JudgeVerdict> f : futures) {
                    out.add(f.get());
                }
                return out;
            } finally {
                pool.shutdownNow();
            }
        }

        private static String interval(double[] ci) {
            return ci == null ? "[-]" : String.format(Locale.ROOT, "[%.2f, %.2f]", ci[0], ci[1]);
        }

        private static void report(PrintWriter out, Rubric r, JobConfig.Judge cfg, List<JudgeVerdict> verdicts,
                CalibrationStats s, int errors) {
            out.printf(Locale.ROOT, "rubric %s (%s), judge %s / %s, %d anchors%n%n", r.key(), r.source(), cfg.provider(),
                    cfg.model(), r.examples().size());
            out.printf(Locale.ROOT, "  n_pairs                    %d%n", s.nPairs());
            out.printf(Locale.ROOT, "  judge errors               %d%n", errors);
            out.printf(Locale.ROOT, "  exact agreement            %s%n", fmt(s.exactAgreement()));
            out.printf(Locale.ROOT, "  within one                 %s%n", fmt(s.withinOne()));
            out.printf(Locale.ROOT, "  useful agreement           %s %s   (min_agreement %.2f: %s)%n", fmt(s.usefulAgreement()),
                    interval(s.usefulAgreementInterval()), r.minAgreement(),
                    s.nPairs() == 0 ? "no data" : s.usefulAgreement() >= r.minAgreement() ? "ok" : "BELOW");
            out.printf(Locale.ROOT, "  kappa (quadratic weights)  %s %s%n", fmt(s.quadraticKappa()),
                    interval(s.quadraticKappaInterval(2000, 1)));
            CohenKappa passKappa = CohenKappa.of(passTable(r, verdicts));
            out.printf(Locale.ROOT, "  kappa on useful (Cohen)    %s %s%n", fmt(passKappa.kappa()), interval(passKappa.interval95()));
            out.printf(Locale.ROOT, "  (95 %% intervals: Wilson for agreement; percentile bootstrap of 2000 seeded redraws for the%n"
                    + "   quadratic kappa; kappa ± 1.96 SE, the large-sample SE of Fleiss, Cohen & Everitt 1969, for Cohen's)%n");
            if ("offline".equals(cfg.provider())) {
                double[] h = new io.llmslo.judge.OfflineJudgeClient(cfg.model()).heldOutAgreement(r);
                out.printf(Locale.ROOT, "  held-out pass agreement    %s %s   (nested leave-one-out over %d anchors: every anchor%n"
                        + "                             scored by a regression, λ included, fitted without it)%n",
                        fmt(h[0]), interval(io.llmslo.slo.SloStatistics.wilson95(h[0], h[1])), (int) h[1]);
                out.printf(Locale.ROOT, "  the offline judge is much weaker than an LLM judge; the job's correction%n"
                        + "  (judge_corrected, from human ratings) is what keeps any judge honest%n");
            }
            out.printf(Locale.ROOT, "  mean bias (judge - human)  %s%n", Double.isNaN(s.meanBias()) ? "-" : String.format(Locale.ROOT, "%+.2f", s.meanBias()));
            out.printf("%n  confusion (rows: judge, columns: human)%n        ");
            for (int h = r.scaleMin(); h <= r.scaleMax(); h++) {
                out.printf("%5d", h);
            }
            out.println();
            for (int j = r.scaleMin(); j <= r.scaleMax(); j++) {
                out.printf("  %5d ", j);
                for (int h = r.scaleMin(); h <= r.scaleMax(); h++) {
                    out.printf("%5d", s.count(j, h));
                }
                out.println();
            }
            List<String> off = new ArrayList<>();
            for (int i = 0; i < verdicts.size(); i++) {
                JudgeVerdict v = verdicts.get(i);
                Rubric.Anchor a = r.examples().get(i);
                if (!v.ok()) {
                    off.add(String.format(Locale.ROOT, "  #%-3d human %d, judge error %s: %s", i + 1, a.score(), v.error(), v.reason()));
                } else if (Math.abs(v.score() - a.score()) >= 2) {
                    off.add(String.format(Locale.ROOT, "  #%-3d human %d, judge %d: %s", i + 1, a.score(), v.score(), preview(a.prompt())));
                }
            }
            if (!off.isEmpty()) {
                out.printf("%n  anchors the judge missed by 2 or more, or could not score:%n");
                off.forEach(out::println);
            }
        }

        /** 2×2 counts of (judge passes, human passes) over the scored anchors; index 0 = passes. */
        static long[][] passTable(Rubric r, List<JudgeVerdict> verdicts) {
            long[][] t = new long[2][2];
            for (int i = 0; i < verdicts.size(); i++) {
                JudgeVerdict v = verdicts.get(i);
                if (v.ok()) {
                    t[r.passes(v.score()) ? 0 : 1][r.passes(r.examples().get(i).score()) ? 0 : 1]++;
                }
            }
            return t;
        }

        private static String fmt(double d) {
            return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.2f", d);
        }

        private static String preview(String s) {
            String one = s.strip().replaceAll("\\s+", " ");
            return one.length() > 70 ? one.substring(0, 70) + "…" : one;
        }

        /**
         * The judge section's defaults (offline provider), taken from the job parser itself so they
         * can never drift from what a job file without a {@code judge:} section gets.
         */
        static JobConfig.Judge defaultJudge() {
            return JobConfig.parse("(defaults)",
                    "sources: {responses: unused.jsonl}\noutput: {jdbc_url: 'jdbc:sqlite::memory:'}\n").judge;
        }
    }

    /** For running the command on its own: {@code java -cp llm-slo.jar io.llmslo.cli.RubricCommand validate rubrics}. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new RubricCommand()).execute(args));
    }
}
