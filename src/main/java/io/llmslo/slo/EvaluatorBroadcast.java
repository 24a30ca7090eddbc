package io.llmslo.slo;

import io.llmslo.ppi.PpiMoments;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.types.Either;

/**
 * What every {@link SloEvaluatorFunction} subtask receives on its broadcast input, a two-case sum
 * (Flink's {@link Either}, serialized without Kryo): left, the job's event-time progress (a
 * producing subtask's latest observation time rounded up to the history interval, for bounded
 * runs); right, one judged-and-rated pair of the whole job ({@link PooledPair}, the pooled scope of
 * the judge correction, {@link PooledPairs}). Both are rare: one progress element per history
 * interval and producing subtask, and pairs are ~5 % judged × ~3 % rated of the traffic.
 */
public final class EvaluatorBroadcast {

    /** One pair of {@code quality.judge_high} at its minute bucket's end. A Flink POJO (record). */
    public record PooledPair(long minuteEnd, PpiMoments moments) {}

    public static final TypeInformation<Either<Long, PooledPair>> TYPE =
            new EitherTypeInfo<>(Types.LONG, TypeInformation.of(PooledPair.class));

    private EvaluatorBroadcast() {}

    public static Either<Long, PooledPair> progress(long end) {
        return Either.Left(end);
    }

    public static Either<Long, PooledPair> pooled(long minuteEnd, PpiMoments moments) {
        return Either.Right(new PooledPair(minuteEnd, moments));
    }

    /** The pooled element of a pair observation (see {@link JudgeCorrection#pairValue}); null otherwise. */
    public static Either<Long, PooledPair> pooled(Observation o) {
        if (!JudgeCorrection.isPair(o.slo(), o.value())) {
            return null;
        }
        return pooled(TimeBuckets.endOf(o.t(), TimeBuckets.MINUTE), JudgeCorrection.pairOf(o.good(), o.value()));
    }
}
