package io.llmslo.cli;

import io.llmslo.config.JobConfig;
import io.llmslo.judge.JudgeClients;
import io.llmslo.judge.RubricLoader;
import io.llmslo.pipeline.JudgeWiring;
import io.llmslo.pipeline.LlmSloJob;
import io.llmslo.sink.JdbcUpsertSink;
import io.llmslo.sink.TableSchemas;
import java.nio.file.Path;

/** The judge stage for a job file: none when disabled; rubrics validated before submission. */
final class JudgeStages {

    private JudgeStages() {}

    static LlmSloJob.JudgeStage forConfig(JobConfig cfg) {
        if (!cfg.judge.enabled()) {
            return null;
        }
        // fail at submit, not inside a task: an invalid rubric or an unset key variable
        JudgeClients.preflight(cfg.judge, System.getenv());
        var rubrics = RubricLoader.forJob(Path.of(cfg.judge.rubricsDir()), cfg.judge.rubricBySurface());
        return new JudgeWiring(cfg, rubrics,
                new JdbcUpsertSink<>(JobRunner.jdbcSettings(cfg), TableSchemas.judgeCalibration()));
    }
}
