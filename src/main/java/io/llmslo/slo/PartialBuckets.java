package io.llmslo.slo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The local half of local-global aggregation: cohort observations folded in memory into partial
 * buckets per (slo, cohort, minute), with counts and live sketch bins ({@link PartialSketch}: a
 * value costs one sorted-array insert, no encode), and sent as one {@link PartialBatch} per (slo,
 * cohort, history interval): that interval's minutes. Bounded: past {@code maxEntries} open (slo,
 * cohort, minute) partials everything is flushed, which is always correct because the evaluator's
 * merge is a sum. Plain Java; {@link LocalAggregationOperator} decides when to flush (watermark
 * past the interval, checkpoint barrier, end of input, over the bound).
 *
 * <p>Cube from the finest grain: an observation is folded once, into its <em>cell</em> (the
 * requests whose dimensions give the same cohort keys), not once per cohort; a cell's partials are
 * rolled up into each of its cohorts when their interval is emitted (counts add, sketch bins add).
 * The emitted batches are the ones a fold per cohort gives, byte for byte
 * ({@code PartialBucketsRollUpTest} compares them): bin counts do not depend on the order of
 * values, and a cohort's sketch is encoded as a dense store from {@link #DENSE_FROM} values on,
 * where the per-cohort fold switched it. Observations the roll-up cannot reproduce (a sketched SLO
 * without a value, a value the sketch cannot track) fold per cohort, after their SLO's cells of
 * that interval are rolled up; so do pair observations (JudgeCorrection), which touch no counts.
 */
public final class PartialBuckets {

    private static final class Open {
        long n;
        long good;
        long maxT = Long.MIN_VALUE;
        PartialSketch sketch;
        /** quality.judge_high pair observations (JudgeCorrection): not in n/good. */
        io.llmslo.ppi.PpiMoments pairs;

        /** Counts one observation (its sketch value is the caller's: the paths differ there). */
        void count(Observation o) {
            n++;
            if (o.good()) {
                good++;
            }
            maxT = Math.max(maxT, o.t());
        }

        /** Adds a cell's partial (no pairs: those fold per cohort). */
        void absorb(Open cell) {
            n += cell.n;
            good += cell.good;
            maxT = Math.max(maxT, cell.maxT);
            if (cell.sketch != null) {
                if (sketch == null) {
                    sketch = new PartialSketch();
                }
                sketch.addAll(cell.sketch);
            }
        }
    }

    /** One history interval's open partials, by slo id. */
    private static final class Interval {
        /** slo → cohort → minute: what is emitted; cells are rolled up into it. */
        Open[][][] cohorts;
        /** slo → cell → minute, null for an SLO folded per cohort (see {@link #direct}). */
        Open[][][] cells;
        /** slo → folded per cohort in this interval (an observation the roll-up cannot reproduce came). */
        boolean[] direct;

        Interval(int slos) {
            cohorts = new Open[slos][][];
            cells = new Open[slos][][];
            direct = new boolean[slos];
        }

        void grow(int slos) {
            if (slos > cohorts.length) {
                cohorts = Arrays.copyOf(cohorts, slos);
                cells = Arrays.copyOf(cells, slos);
                direct = Arrays.copyOf(direct, slos);
            }
        }
    }

    /** Requests whose dimensions give the same cohort keys: folded together, rolled up at emission. */
    private record Cell(int id, int[] cohorts) {}

    /** The dimension values {@link CohortKeys#keysFor} reads: equal tuples give equal keys. */
    private static final class Tuple {
        final String[] values;
        final boolean perProvider;
        final int hash;

        Tuple(String[] values, boolean perProvider) {
            this.values = values;
            this.perProvider = perProvider;
            this.hash = 31 * Arrays.hashCode(values) + (perProvider ? 1 : 0);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tuple t && t.hash == hash && t.perProvider == perProvider
                    && Arrays.equals(t.values, values);
        }
    }

    /** Values of one partial past which its sketch moves from a sparse to a dense store. */
    static final long DENSE_FROM = 64;

    private static final Cell NO_COHORTS = new Cell(-1, new int[0]);

    /** An SLO's number and what its observations need, looked up once per observation. */
    private record Slo(int id, String name, boolean sketched) {}

    private final CohortKeys cohorts;
    private final Set<String> sketched;
    private final int maxEntries;
    private final long interval;
    /** Minutes per interval: the length of a series' array of open minutes. */
    private final int slots;
    /** The dimensions cohort keys are made of, in a fixed order, and "provider" last (per-provider SLOs). */
    private final String[] tupleDims;
    /** Intervals in order, so a watermark flushes a prefix. */
    private final TreeMap<Long, Interval> open = new TreeMap<>();
    private int entries;
    /** The interval the last observation fell in: most observations hit it again. */
    private long lastInterval = Long.MIN_VALUE;
    private Interval lastOpen;

    /**
     * SLOs, cohort keys and cells seen since the last full flush, numbered: a response's
     * observations find their series by array index, its cell is looked up once per response.
     * Forgotten when nothing is open (every full flush); more cohorts than {@code maxEntries}
     * count as over the bound, and more cells roll every interval up and start the cells afresh,
     * so the numbering stays bounded.
     */
    private final Map<String, Slo> slos = new HashMap<>();
    private final List<Slo> sloList = new ArrayList<>();
    private final Map<String, Integer> cohortIds = new HashMap<>();
    private final List<String> cohortNames = new ArrayList<>();
    private final Map<Tuple, Cell> cells = new HashMap<>();
    private final List<Cell> cellList = new ArrayList<>();

    /**
     * The cell of the last observation's dims, reused while the same request emits; one for
     * per-provider SLOs (an attempt's dims) and one for the others, which a response interleaves.
     */
    private Map<String, String> lastDims;
    private Cell lastCell;
    private Map<String, String> lastProviderDims;
    private Cell lastProviderCell;

    /**
     * @param sketched the SLOs whose values go into sketches (quantile and tail SLOs)
     * @param maxEntries most open partials held before a flush
     * @param intervalMs the history interval (whole minutes dividing an hour): one batch each
     */
    public PartialBuckets(CohortKeys cohorts, Set<String> sketched, int maxEntries, long intervalMs) {
        if (intervalMs < TimeBuckets.MINUTE || intervalMs % TimeBuckets.MINUTE != 0) {
            throw new IllegalArgumentException("interval must be whole minutes: " + intervalMs);
        }
        this.cohorts = cohorts;
        this.sketched = sketched;
        this.maxEntries = maxEntries;
        this.interval = intervalMs;
        this.slots = (int) (intervalMs / TimeBuckets.MINUTE);
        List<String> dims = new ArrayList<>(cohorts.dimensions());
        dims.add("provider");
        this.tupleDims = dims.toArray(String[]::new);
    }

    /** One minute per batch. */
    public PartialBuckets(CohortKeys cohorts, Set<String> sketched, int maxEntries) {
        this(cohorts, sketched, maxEntries, TimeBuckets.MINUTE);
    }

    /** Folds one observation into each cohort it counts in; returns true when over the bound. */
    public boolean add(Observation o) {
        Cell cell = cellOf(o);
        if (cell.cohorts().length == 0) {
            return false;
        }
        long minute = TimeBuckets.endOf(o.t(), TimeBuckets.MINUTE);
        long intervalEnd = TimeBuckets.endOf(minute, interval);
        Slo slo = slo(o.slo());
        if (intervalEnd != lastInterval || lastOpen == null) {
            lastOpen = open.get(intervalEnd);
            if (lastOpen == null) {
                lastOpen = new Interval(sloList.size());
                open.put(intervalEnd, lastOpen);
            }
            lastInterval = intervalEnd;
        }
        Interval iv = lastOpen;
        iv.grow(sloList.size());
        int s = slo.id();
        int slot = slots - 1 - (int) ((intervalEnd - minute) / TimeBuckets.MINUTE);
        Open[][] byCohort = iv.cohorts[s];
        if (byCohort == null || byCohort.length < cohortNames.size()) {
            iv.cohorts[s] = byCohort = grown(byCohort, cohortNames.size());
        }
        boolean sketch = !Double.isNaN(o.value()) && slo.sketched();
        if (JudgeCorrection.isPair(o.slo(), o.value())) {
            // a judged request a person rated: sums for the judge correction only, per cohort
            for (int cohort : cell.cohorts()) {
                Open p = openOf(byCohort, cohort, slot);
                if (p.pairs == null) {
                    p.pairs = new io.llmslo.ppi.PpiMoments();
                }
                p.pairs.addPair(o.good(), o.value() > 0, Math.abs(o.value()));
                // a pair is data of its series: it keeps the series stepping while in the window,
                // as the evaluator's read-ahead path sees its minute bucket (DESIGN §7b)
                p.maxT = Math.max(p.maxT, o.t());
            }
        } else if (!iv.direct[s] && (sketch ? PartialSketch.trackable(Math.max(0.0, o.value())) : !slo.sketched())) {
            foldIntoCell(iv, s, cell, slot, o, sketch);
        } else {
            if (!iv.direct[s]) {
                // from here on this SLO folds per cohort in this interval: what the cells hold so far
                // are observations with values, where the roll-up gives the per-cohort fold's partials
                rollUp(iv, s);
                iv.direct[s] = true;
                byCohort = iv.cohorts[s];
            }
            foldPerCohort(byCohort, cell, slot, o, sketch);
        }
        if (cells.size() > maxEntries) {
            // a fine grain of many cells: roll every interval up and number cells afresh (exactly
            // what the per-cohort fold holds, so the emitted partials do not change)
            for (Interval i : open.values()) {
                for (int k = 0; k < i.cells.length; k++) {
                    rollUp(i, k);
                }
            }
            cells.clear();
            cellList.clear();
            forgetLastCells();
        }
        return entries > maxEntries || cohortNames.size() > maxEntries;
    }

    private void foldIntoCell(Interval iv, int s, Cell cell, int slot, Observation o, boolean sketch) {
        Open[][] byCell = iv.cells[s];
        if (byCell == null || byCell.length <= cell.id()) {
            iv.cells[s] = byCell = grown(byCell, cells.size());
        }
        Open[] series = byCell[cell.id()];
        if (series == null) {
            series = new Open[slots];
            byCell[cell.id()] = series;
        }
        Open p = series[slot];
        if (p == null) {
            p = new Open();
            series[slot] = p;
            // the cohorts' partials open now, as the per-cohort fold opens them: the bound counts them
            Open[][] byCohort = iv.cohorts[s];
            for (int cohort : cell.cohorts()) {
                openOf(byCohort, cohort, slot);
            }
        }
        p.count(o);
        if (sketch) {
            if (p.sketch == null) {
                p.sketch = new PartialSketch();
            }
            p.sketch.accept(Math.max(0.0, o.value())); // as QuantileSketches.add
        }
    }

    /** The fold before the roll-up, one per cohort: what the roll-up must give. */
    private void foldPerCohort(Open[][] byCohort, Cell cell, int slot, Observation o, boolean sketch) {
        for (int cohort : cell.cohorts()) {
            Open p = openOf(byCohort, cohort, slot);
            p.count(o);
            if (sketch) {
                if (p.sketch == null) {
                    // a partial holds a few values: kept as a sparse store's bins; from DENSE_FROM
                    // values on it encodes as a dense store would (the switch this path made before
                    // PartialSketch), so the encoded sketch stays the same bytes
                    p.sketch = new PartialSketch();
                } else if (p.n == DENSE_FROM) {
                    p.sketch.dense();
                }
                p.sketch.accept(Math.max(0.0, o.value())); // as QuantileSketches.add
            }
        }
    }

    /**
     * Adds an SLO's cells of an interval into their cohorts and forgets them. Every observation in
     * a cell has a value if the SLO is sketched, so the per-cohort fold would have a sketch from
     * the first one on and switch it to dense at the {@link #DENSE_FROM}th.
     */
    private void rollUp(Interval iv, int s) {
        Open[][] byCell = iv.cells[s];
        if (byCell == null) {
            return;
        }
        iv.cells[s] = null;
        Open[][] byCohort = iv.cohorts[s];
        for (int c = 0; c < byCell.length; c++) {
            Open[] series = byCell[c];
            if (series == null) {
                continue;
            }
            int[] cellCohorts = cellList.get(c).cohorts();
            for (int slot = 0; slot < slots; slot++) {
                Open p = series[slot];
                if (p == null) {
                    continue;
                }
                for (int cohort : cellCohorts) {
                    byCohort[cohort][slot].absorb(p);
                }
            }
        }
        if (sloList.get(s).sketched()) {
            for (Open[] series : byCohort) {
                if (series == null) {
                    continue;
                }
                for (Open p : series) {
                    if (p != null && p.sketch != null && p.n >= DENSE_FROM) {
                        p.sketch.dense();
                    }
                }
            }
        }
    }

    private Open openOf(Open[][] byCohort, int cohort, int slot) {
        Open[] series = byCohort[cohort];
        if (series == null) {
            series = new Open[slots];
            byCohort[cohort] = series;
        }
        Open p = series[slot];
        if (p == null) {
            p = new Open();
            series[slot] = p;
            entries++;
        }
        return p;
    }

    private static Open[][] grown(Open[][] a, int size) {
        return a == null ? new Open[Math.max(size, 4)][] : Arrays.copyOf(a, Math.max(size, 2 * a.length));
    }

    private Slo slo(String name) {
        Slo slo = slos.get(name);
        if (slo == null) {
            slo = new Slo(sloList.size(), name, sketched.contains(name));
            slos.put(name, slo);
            sloList.add(slo);
        }
        return slo;
    }

    private Cell cellOf(Observation o) {
        boolean perProvider = SloCatalog.PROVIDER_SUCCESS.equals(o.slo());
        Map<String, String> dims = o.dims();
        // a response's observations share their dims map: look its cell up once, not once per SLO
        if (perProvider ? dims == lastProviderDims && lastProviderCell != null : dims == lastDims && lastCell != null) {
            return perProvider ? lastProviderCell : lastCell;
        }
        String[] values = new String[tupleDims.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = dims.get(tupleDims[i]);
        }
        if (!perProvider) {
            values[values.length - 1] = null; // only per-provider keys read the provider of their own
        }
        Tuple tuple = new Tuple(values, perProvider);
        Cell cell = cells.get(tuple);
        if (cell == null) {
            List<String> keys = cohorts.keysFor(o.slo(), dims);
            int[] ids = new int[keys.size()];
            for (int i = 0; i < ids.length; i++) {
                Integer id = cohortIds.get(keys.get(i));
                if (id == null) {
                    id = cohortNames.size();
                    cohortIds.put(keys.get(i), id);
                    cohortNames.add(keys.get(i));
                }
                ids[i] = id;
            }
            cell = ids.length == 0 ? NO_COHORTS : new Cell(cells.size(), ids);
            if (ids.length > 0) {
                cells.put(tuple, cell);
                cellList.add(cell);
            }
        }
        if (perProvider) {
            lastProviderCell = cell;
            lastProviderDims = dims;
        } else {
            lastCell = cell;
            lastDims = dims;
        }
        return cell;
    }

    private void forgetLastCells() {
        lastCell = null;
        lastDims = null;
        lastProviderCell = null;
        lastProviderDims = null;
    }

    /** Emits and forgets every partial of an interval ending at or before {@code watermark}. */
    public void flushUpTo(long watermark, Consumer<PartialBatch> out) {
        Iterator<Map.Entry<Long, Interval>> it = open.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Interval> batch = it.next();
            if (batch.getKey() > watermark) {
                break;
            }
            it.remove();
            if (batch.getValue() == lastOpen) {
                lastOpen = null;
            }
            emit(batch.getKey(), batch.getValue(), out);
        }
        if (open.isEmpty()) {
            // nothing refers to the numbers any more: forget them (bounded by the traffic of one
            // flush period, not by the job's lifetime)
            slos.clear();
            sloList.clear();
            cohortIds.clear();
            cohortNames.clear();
            cells.clear();
            cellList.clear();
            forgetLastCells();
            lastOpen = null;
        }
    }

    /** Emits and forgets every partial (checkpoint barrier, end of input, over the bound). */
    public void flushAll(Consumer<PartialBatch> out) {
        flushUpTo(Long.MAX_VALUE, out);
    }

    /** Open (slo, cohort, minute) partials. */
    public int size() {
        return entries;
    }

    private void emit(long intervalEnd, Interval iv, Consumer<PartialBatch> out) {
        long first = intervalEnd - interval + TimeBuckets.MINUTE;
        List<PartialBatch> batches = new ArrayList<>();
        for (int s = 0; s < iv.cohorts.length; s++) {
            rollUp(iv, s);
            Open[][] bySeries = iv.cohorts[s];
            if (bySeries == null) {
                continue;
            }
            String slo = sloList.get(s).name();
            for (int c = 0; c < bySeries.length; c++) {
                Open[] series = bySeries[c];
                if (series == null) {
                    continue;
                }
                String cohort = cohortNames.get(c);
                String key = slo + "|" + cohort;
                List<PartialBucket> minutes = new ArrayList<>(2);
                for (int i = 0; i < series.length; i++) {
                    Open p = series[i];
                    if (p != null) {
                        minutes.add(new PartialBucket(key, slo, cohort, first + i * TimeBuckets.MINUTE, p.n, p.good,
                                p.maxT, p.sketch == null ? null : p.sketch.encode(), p.pairs));
                    }
                }
                entries -= minutes.size();
                batches.add(new PartialBatch(key, slo, cohort, minutes));
            }
        }
        batches.forEach(out);
    }
}
