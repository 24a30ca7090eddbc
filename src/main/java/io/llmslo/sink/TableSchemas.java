package io.llmslo.sink;

import static io.llmslo.sink.SqlDialect.setDouble;
import static io.llmslo.sink.SqlDialect.setString;

import io.llmslo.event.DeadLetter;
import io.llmslo.judge.CalibrationRow;
import io.llmslo.judge.JudgeResult;
import io.llmslo.judge.ReviewQueueItem;
import io.llmslo.slo.AlertEvent;
import io.llmslo.slo.JudgeCorrection;
import io.llmslo.slo.SloStatus;
import io.llmslo.sink.TableSpec.Column;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The output tables of DESIGN §7. Timestamps are {@code TIMESTAMP} columns holding UTC (see
 * {@link SqlDialect}); ratios and rates are {@code DOUBLE PRECISION}; counts {@code BIGINT}.
 */
public final class TableSchemas {

    private static final String TS = "TIMESTAMP";
    private static final String TEXT = "TEXT";
    private static final String BIG = "BIGINT";
    private static final String DBL = "DOUBLE PRECISION";

    private TableSchemas() {}

    public static TableSpec<SloStatus> sloStatus() {
        return status("slo_status", List.of("slo", "cohort"), s -> s.slo() + "|" + s.cohort());
    }

    public static TableSpec<SloStatus> sloHistory() {
        return status("slo_history", List.of("slo", "cohort", "eval_time"),
                s -> s.slo() + "|" + s.cohort() + "|" + s.evalTime());
    }

    private static TableSpec<SloStatus> status(String name, List<String> pk, TableSpec.KeyOf<SloStatus> key) {
        List<Column> cols = List.of(
                new Column("slo", TEXT), new Column("cohort", TEXT), new Column("eval_time", TS),
                // "window" is reserved in PostgreSQL; quoted it is the same name in both databases
                new Column("\"window\"", TEXT), new Column("n", BIG), new Column("good", BIG),
                new Column("value", DBL), new Column("target", DBL), new Column("ci_low", DBL),
                new Column("ci_high", DBL), new Column("p_value", DBL), new Column("status", TEXT),
                new Column("burn_1h", DBL), new Column("burn_6h", DBL), new Column("burn_24h", DBL),
                new Column("burn_7d", DBL), new Column("budget_remaining", DBL), new Column("alert", TEXT),
                new Column("quantile_value", DBL), new Column("value_7d_ago", DBL),
                // sequential detector evidence (DESIGN §4 turn 2): new columns, the ones above keep their meaning
                new Column("e_value", DBL), new Column("e_threshold", DBL), new Column("alpha_adjusted", DBL),
                new Column("detected_at", TS),
                // the human-corrected judge estimate (DESIGN §4 "Judge correction"), quality.judge_high only
                new Column("judge_corrected", DBL), new Column("judge_corrected_low", DBL),
                new Column("judge_corrected_high", DBL), new Column("judge_lambda", DBL),
                new Column("judge_judged", BIG), new Column("judge_pairs", BIG), new Column("judge_scope", TEXT),
                new Column("judge_agreement", DBL), new Column("judge_calibration_pairs", BIG),
                new Column("judge_gate", TEXT));
        TableSpec.Binder<SloStatus> core = (ps, s, d) -> {
            setString(ps, 1, s.slo());
            setString(ps, 2, s.cohort());
            d.setTimestamp(ps, 3, s.evalTime());
            setString(ps, 4, s.window());
            ps.setLong(5, s.n());
            ps.setLong(6, s.good());
            setDouble(ps, 7, s.value());
            setDouble(ps, 8, s.target());
            setDouble(ps, 9, s.ciLow());
            setDouble(ps, 10, s.ciHigh());
            setDouble(ps, 11, s.pValue());
            setString(ps, 12, s.status());
            setDouble(ps, 13, s.burn1h());
            setDouble(ps, 14, s.burn6h());
            setDouble(ps, 15, s.burn24h());
            setDouble(ps, 16, s.burn7d());
            setDouble(ps, 17, s.budgetRemaining());
            setString(ps, 18, s.alert());
            setDouble(ps, 19, s.quantileValue());
            setDouble(ps, 20, s.value7dAgo());
            setDouble(ps, 21, s.eValue());
            setDouble(ps, 22, s.eThreshold());
            setDouble(ps, 23, s.alphaAdjusted());
            d.setTimestamp(ps, 24, s.detectedAt());
        };
        return new TableSpec<>(name, cols, pk, (ps, s, d) -> {
            core.bind(ps, s, d);
            JudgeCorrection.Columns j = s.judge();
            setDouble(ps, 25, j == null ? null : j.corrected());
            setDouble(ps, 26, j == null ? null : j.correctedLow());
            setDouble(ps, 27, j == null ? null : j.correctedHigh());
            setDouble(ps, 28, j == null ? null : j.lambda());
            setLong(ps, 29, j == null ? null : j.judged());
            setLong(ps, 30, j == null ? null : j.pairs());
            setString(ps, 31, j == null ? null : j.scope());
            setDouble(ps, 32, j == null ? null : j.agreement());
            setLong(ps, 33, j == null ? null : j.calibrationPairs());
            setString(ps, 34, j == null ? null : j.gate());
        }, key).withNullTail(24, core, s -> s.judge() == null); // judge columns: quality.judge_high only
    }

    public static TableSpec<AlertEvent> sloAlerts() {
        List<Column> cols = List.of(
                new Column("slo", TEXT), new Column("cohort", TEXT), new Column("severity", TEXT),
                new Column("state", TEXT), new Column("at", TS), new Column("long_window", TEXT),
                new Column("short_window", TEXT), new Column("burn_long", DBL),
                new Column("burn_short", DBL), new Column("p_value", DBL), new Column("n", BIG),
                new Column("e_value", DBL), new Column("e_threshold", DBL), new Column("change_at", TS),
                new Column("detected_burn", DBL), new Column("explained_by", TEXT));
        return new TableSpec<>("slo_alerts", cols, List.of("slo", "cohort", "severity", "state", "at"),
                (ps, a, d) -> {
                    setString(ps, 1, a.slo());
                    setString(ps, 2, a.cohort());
                    setString(ps, 3, a.severity());
                    setString(ps, 4, a.state());
                    d.setTimestamp(ps, 5, a.at());
                    setString(ps, 6, a.longWindow());
                    setString(ps, 7, a.shortWindow());
                    setDouble(ps, 8, a.burnLong());
                    setDouble(ps, 9, a.burnShort());
                    setDouble(ps, 10, a.pValue());
                    ps.setLong(11, a.n());
                    setDouble(ps, 12, a.eValue());
                    setDouble(ps, 13, a.eThreshold());
                    d.setTimestamp(ps, 14, a.changeAt());
                    setDouble(ps, 15, a.detectedBurn());
                    setString(ps, 16, a.explainedBy());
                },
                a -> a.slo() + "|" + a.cohort() + "|" + a.severity() + "|" + a.state() + "|" + a.at());
    }

    /**
     * Keyed by the hash of the reason and the whole raw record ({@link DeadLetter#key()}), so
     * records that share a truncated payload still get rows of their own. {@code count} is the
     * absolute number the job's dead-letter counter has seen; the upsert keeps the larger of the
     * stored and the new count, so a replay or a restore (which re-emits the same counts) never
     * counts twice.
     */
    public static TableSpec<DeadLetter> deadLetters() {
        List<Column> cols = List.of(
                new Column("source", TEXT), new Column("payload_hash", TEXT), new Column("event_time", TS),
                new Column("reason", TEXT), new Column("payload", TEXT),
                new Column("count", BIG, "CASE WHEN excluded.count > dead_letters.count"
                        + " THEN excluded.count ELSE dead_letters.count END"));
        return new TableSpec<>("dead_letters", cols, List.of("source", "payload_hash"), (ps, dl, d) -> {
            setString(ps, 1, dl.source());
            setString(ps, 2, dl.key());
            d.setTimestamp(ps, 3, dl.eventTime());
            setString(ps, 4, dl.reason());
            setString(ps, 5, dl.payload());
            ps.setLong(6, dl.count());
        }, dl -> dl.source() + "|" + dl.key());
    }

    public static TableSpec<JudgeResult> judgeScores() {
        List<Column> cols = List.of(
                new Column("request_id", TEXT), new Column("rubric", TEXT), new Column("rubric_version", BIG),
                new Column("judge_model", TEXT), new Column("score", BIG), new Column("reason", TEXT),
                new Column("latency_ms", BIG), new Column("error", TEXT), new Column("ts", TS),
                new Column("input_tokens", BIG), new Column("output_tokens", BIG));
        return new TableSpec<>("judge_scores", cols, List.of("request_id"), (ps, j, d) -> {
            setString(ps, 1, j.requestId());
            setString(ps, 2, j.rubric());
            ps.setLong(3, j.rubricVersion());
            setString(ps, 4, j.judgeModel());
            if (j.score() == null) {
                ps.setNull(5, Types.BIGINT);
            } else {
                ps.setLong(5, j.score());
            }
            setString(ps, 6, j.reason());
            ps.setLong(7, j.latencyMs());
            setString(ps, 8, j.error());
            d.setTimestamp(ps, 9, j.ts());
            ps.setLong(10, j.inputTokens());
            ps.setLong(11, j.outputTokens());
        }, JudgeResult::requestId);
    }

    public static TableSpec<CalibrationRow> judgeCalibration() {
        List<Column> cols = List.of(
                new Column("rubric", TEXT), new Column("rubric_version", BIG), new Column("judge_model", TEXT),
                new Column("eval_time", TS),
                new Column("n_pairs", BIG), new Column("exact_agreement", DBL), new Column("within_one", DBL),
                new Column("useful_agreement", DBL), new Column("kappa", DBL), new Column("mean_bias", DBL),
                new Column("min_agreement", DBL), new Column("alert", "BOOLEAN"),
                // the rolling calibration window (weighted by the review queue's probabilities)
                new Column("window_length", TEXT), new Column("window_pairs", BIG),
                new Column("window_useful_agreement", DBL), new Column("window_agreement_low", DBL),
                new Column("window_agreement_high", DBL), new Column("window_kappa", DBL),
                new Column("calibrated", "BOOLEAN"));
        return new TableSpec<>("judge_calibration", cols,
                List.of("rubric", "rubric_version", "judge_model", "eval_time"),
                (ps, c, d) -> {
                    setString(ps, 1, c.rubric());
                    ps.setLong(2, c.rubricVersion());
                    ps.setString(3, c.judgeModel() == null ? "" : c.judgeModel());
                    d.setTimestamp(ps, 4, c.evalTime());
                    ps.setLong(5, c.nPairs());
                    setDouble(ps, 6, c.exactAgreement());
                    setDouble(ps, 7, c.withinOne());
                    setDouble(ps, 8, c.usefulAgreement());
                    setDouble(ps, 9, c.kappa());
                    setDouble(ps, 10, c.meanBias());
                    setDouble(ps, 11, c.minAgreement());
                    ps.setBoolean(12, c.alert());
                    setString(ps, 13, c.window());
                    ps.setLong(14, c.windowPairs());
                    setDouble(ps, 15, c.windowUsefulAgreement());
                    setDouble(ps, 16, c.windowAgreementLow());
                    setDouble(ps, 17, c.windowAgreementHigh());
                    setDouble(ps, 18, c.windowKappa());
                    ps.setBoolean(19, c.calibrated());
                },
                c -> c.rubric() + "|" + c.rubricVersion() + "|" + c.judgeModel() + "|" + c.evalTime());
    }

    /** Requests the review queue asks people to rate, with the probability they were picked with. */
    public static TableSpec<ReviewQueueItem> reviewQueue() {
        List<Column> cols = List.of(
                new Column("request_id", TEXT), new Column("ts", TS), new Column("stratum", TEXT),
                new Column("rubric", TEXT), new Column("rubric_version", BIG), new Column("judge_model", TEXT),
                new Column("judge_score", BIG), new Column("probability", DBL), new Column("reason", TEXT));
        return new TableSpec<>("review_queue", cols, List.of("request_id"), (ps, q, d) -> {
            ps.setString(1, q.requestId());
            d.setTimestamp(ps, 2, q.ts());
            ps.setString(3, q.stratum());
            setString(ps, 4, q.rubric());
            ps.setLong(5, q.rubricVersion());
            setString(ps, 6, q.judgeModel());
            ps.setLong(7, q.judgeScore());
            ps.setDouble(8, q.probability());
            ps.setString(9, q.reason());
        }, ReviewQueueItem::requestId);
    }

    private static void setLong(java.sql.PreparedStatement ps, int index, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, v);
        }
    }

    public static List<TableSpec<?>> all() {
        List<TableSpec<?>> all = new ArrayList<>();
        all.add(sloStatus());
        all.add(sloHistory());
        all.add(sloAlerts());
        all.add(deadLetters());
        all.add(judgeScores());
        all.add(judgeCalibration());
        all.add(reviewQueue());
        return all;
    }

    /**
     * Creates the table if absent. Parallel writers may race on a fresh database; a failure is
     * fine when the table exists afterwards.
     */
    public static void create(Connection c, TableSpec<?> table) throws SQLException {
        try (Statement s = c.createStatement()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(true);
            s.execute(table.ddl());
            c.setAutoCommit(auto);
        } catch (SQLException e) {
            if (!exists(c, table.name())) {
                throw e;
            }
        }
        addMissingColumns(c, table);
    }

    /**
     * A table made by an older version lacks the columns added since (all nullable): add them, so
     * an upgrade keeps its data instead of failing every insert.
     */
    private static void addMissingColumns(Connection c, TableSpec<?> table) throws SQLException {
        java.util.Set<String> have = new java.util.HashSet<>();
        try (ResultSet rs = c.getMetaData().getColumns(null, c.getSchema(), table.name(), null)) {
            while (rs.next()) {
                have.add(rs.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT));
            }
        }
        if (have.isEmpty()) {
            return;
        }
        for (Column col : table.columns()) {
            String bare = col.name().replace("\"", "").toLowerCase(java.util.Locale.ROOT);
            if (!have.contains(bare)) {
                boolean auto = c.getAutoCommit();
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("ALTER TABLE " + table.name() + " ADD COLUMN " + col.name() + " " + col.type());
                } catch (SQLException e) {
                    // a parallel writer added it first
                } finally {
                    c.setAutoCommit(auto);
                }
            }
        }
    }

    private static boolean exists(Connection c, String name) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = md.getTables(null, null, name, null)) {
            return rs.next();
        }
    }
}
