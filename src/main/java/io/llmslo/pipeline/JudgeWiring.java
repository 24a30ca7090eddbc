package io.llmslo.pipeline;

import io.llmslo.config.JobConfig;
import io.llmslo.event.RatingEvent;
import io.llmslo.event.ResponseEvent;
import io.llmslo.judge.CalibrationAggregator;
import io.llmslo.judge.CalibrationJoiner;
import io.llmslo.judge.CalibrationPair;
import io.llmslo.judge.CalibrationRow;
import io.llmslo.judge.JudgeResult;
import io.llmslo.judge.JudgeStage;
import io.llmslo.judge.Rubric;
import java.util.HashMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The judge branch of DESIGN §1: deterministic sample → async LLM judge → scores; and the
 * calibration branch: judge scores joined with human ratings per request, aggregated per rubric
 * version into {@code judge_calibration}.
 */
public final class JudgeWiring implements LlmSloJob.JudgeStage {

    private final JobConfig cfg;
    private final HashMap<String, Rubric> rubrics;
    private final Sink<CalibrationRow> calibrationSink;

    public JudgeWiring(JobConfig cfg, HashMap<String, Rubric> rubrics, Sink<CalibrationRow> calibrationSink) {
        this.cfg = cfg;
        this.rubrics = rubrics;
        this.calibrationSink = calibrationSink;
    }

    @Override
    public DataStream<JudgeResult> judge(DataStream<ResponseEvent> uniqueResponses) {
        return JudgeStage.apply(JudgeStage.sample(uniqueResponses, cfg.sampling), cfg.judge, rubrics);
    }

    @Override
    public void calibrate(DataStream<JudgeResult> results, DataStream<RatingEvent> ratings) {
        DataStream<CalibrationRow> rows = results
                .connect(ratings)
                .keyBy(JudgeResult::requestId, RatingEvent::requestId)
                .process(new CalibrationJoiner(cfg.join.maxRatingDelay()))
                .name("calibration-joiner")
                .uid("calibration-joiner")
                .keyBy(CalibrationPair::rubricKey)
                .process(new CalibrationAggregator(cfg.output.historyInterval(), rubrics))
                .name("calibration-aggregator")
                .uid("calibration-aggregator");
        if (calibrationSink != null) {
            rows.sinkTo(calibrationSink)
                    .name("judge-calibration-sink")
                    .uid("judge-calibration-sink")
                    .setParallelism(cfg.output.sqlite() ? 1 : cfg.parallelism);
        }
    }
}
