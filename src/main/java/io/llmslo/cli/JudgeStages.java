package io.llmslo.cli;

import io.llmslo.config.JobConfig;
import io.llmslo.pipeline.LlmSloJob;

/** Chooses the judge stage for a job file (none until the judge is enabled and wired). */
final class JudgeStages {

    private JudgeStages() {}

    static LlmSloJob.JudgeStage forConfig(JobConfig cfg) {
        return null;
    }
}
