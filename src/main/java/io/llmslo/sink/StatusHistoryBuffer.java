package io.llmslo.sink;

import io.llmslo.slo.SloStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Both tables of the evaluations from one stream: every row goes to {@code slo_history}, the
 * latest row per (slo, cohort) of each flush to {@code slo_status}. One sink instead of two means
 * each status row crosses from the evaluators to the (on SQLite single) writer once, not twice,
 * and both tables change in one transaction.
 *
 * <p>Rows are grouped by series as they arrive (one map lookup, no per-row key text), and a flush
 * writes the series in primary-key order, each series' rows in arrival order: the history
 * index's pages are touched series by series, as a sort of every row by its full key would, at
 * the cost of sorting a few hundred series. A series' rows come from one evaluator in time order;
 * a row of an instant already held (a replay after a restore) replaces that row, so a batch
 * holds one row per key and the last to arrive wins, as in a buffer keyed by the full key (the
 * writer sends narrow and full rows through two statements: same-key rows would lose their order).
 */
final class StatusHistoryBuffer implements RowBuffer<SloStatus> {

    private record Series(String slo, String cohort) {}

    /** A series' rows since the last flush (one per instant) and its latest arrival (the status row). */
    private static final class Pending {
        final List<SloStatus> rows = new ArrayList<>();
        SloStatus latest;

        /** @return whether the row is new (not replacing one of the same instant) */
        boolean add(SloStatus row) {
            latest = row;
            int last = rows.size() - 1;
            if (last < 0 || rows.get(last).evalTime() < row.evalTime()) {
                rows.add(row);
                return true;
            }
            for (int i = last; i >= 0; i--) {
                if (rows.get(i).evalTime() == row.evalTime()) {
                    rows.set(i, row);
                    return false;
                }
            }
            rows.add(row);
            return true;
        }
    }

    private static final Comparator<Series> KEY_ORDER =
            Comparator.comparing(Series::slo).thenComparing(Series::cohort);

    private final TableSpec<SloStatus> history;
    private final TableSpec<SloStatus> status;
    private final Map<Series, Pending> bySeries = new HashMap<>();
    private int size;

    StatusHistoryBuffer() {
        this(TableSchemas.sloHistory(), TableSchemas.sloStatus());
    }

    StatusHistoryBuffer(TableSpec<SloStatus> history, TableSpec<SloStatus> status) {
        this.history = history;
        this.status = status;
    }

    @Override
    public List<TableSpec<SloStatus>> tables() {
        return List.of(history, status);
    }

    @Override
    public void add(SloStatus row) {
        if (row.slo() == null || row.cohort() == null) {
            throw new IllegalArgumentException("a status row without slo or cohort");
        }
        if (bySeries.computeIfAbsent(new Series(row.slo(), row.cohort()), k -> new Pending()).add(row)) {
            size++;
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void clear() {
        // the series stay (their lists emptied): the next batch holds mostly the same ones
        bySeries.values().removeIf(p -> p.latest == null);
        for (Pending p : bySeries.values()) {
            p.rows.clear();
            p.latest = null;
        }
        size = 0;
    }

    @Override
    public List<Batch<SloStatus>> batches() {
        List<Series> keys = new ArrayList<>();
        for (Map.Entry<Series, Pending> e : bySeries.entrySet()) {
            if (e.getValue().latest != null) {
                keys.add(e.getKey());
            }
        }
        keys.sort(KEY_ORDER);
        List<SloStatus> all = new ArrayList<>(size);
        List<SloStatus> latest = new ArrayList<>(keys.size());
        for (Series k : keys) {
            Pending p = bySeries.get(k);
            all.addAll(p.rows);
            latest.add(p.latest);
        }
        return List.of(new Batch<>(history, all), new Batch<>(status, latest));
    }

    @Override
    public List<Batch<SloStatus>> rowByRow() {
        return batches();
    }
}
