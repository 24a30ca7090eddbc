package io.llmslo.slo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The reference for PartialBucketsRollUpTest: the fold as it was before the roll-up (session 5), one
 * fold per (slo, cohort) of each observation. The local half of local-global aggregation: cohort observations folded in memory into partial
 * buckets per (slo, cohort, minute), with counts and live sketch bins ({@link PartialSketch}: a
 * value costs one sorted-array insert, no encode), and sent as one {@link PartialBatch} per (slo,
 * cohort, history interval): that interval's minutes. Bounded: past {@code maxEntries} open (slo, cohort, minute) partials
 * everything is flushed, which is always correct because the evaluator's merge is a sum. Plain
 * Java; {@link LocalAggregationOperator} decides when to flush (watermark past the interval,
 * checkpoint barrier, end of input, over the bound).
 */
final class PerCohortPartialBuckets {

    private static final class Open {
        long n;
        long good;
        long maxT = Long.MIN_VALUE;
        PartialSketch sketch;
        /** quality.judge_high pair observations (JudgeCorrection): not in n/good. */
        io.llmslo.ppi.PpiMoments pairs;
    }

    /** Values of one partial past which its sketch moves from a sparse to a dense store. */
    static final long DENSE_FROM = 64;

    /** An SLO's number and what its observations need, looked up once per observation. */
    private record Slo(int id, String name, boolean sketched) {}

    private final CohortKeys cohorts;
    private final Set<String> sketched;
    private final int maxEntries;
    private final long interval;
    /** Minutes per interval: the length of a series' array of open minutes. */
    private final int slots;
    /**
     * interval end → slo id → cohort id → that series' open minutes of the interval (by minute,
     * null where none); intervals in order, so a watermark flushes a prefix.
     */
    private final TreeMap<Long, Open[][][]> open = new TreeMap<>();
    private int entries;
    /** The interval the last observation fell in, and its series: most observations hit it again. */
    private long lastInterval = Long.MIN_VALUE;
    private Open[][][] lastBySlo;

    /**
     * SLOs and cohort keys seen since the last full flush, numbered: a response's ~50 (slo,
     * cohort) observations find their series by array index, its cohort keys are looked up once
     * per response, not once per SLO. Forgotten when nothing is open (every full flush); more
     * cohorts than {@code maxEntries} count as over the bound, so the numbering stays bounded.
     */
    private final Map<String, Slo> slos = new HashMap<>();
    private final List<Slo> sloList = new ArrayList<>();
    private final Map<String, Integer> cohortIds = new HashMap<>();
    private final List<String> cohortNames = new ArrayList<>();

    /** The fan-out of the last observation's dims, reused while the same request emits. */
    private Map<String, String> lastDims;
    private boolean lastPerProvider;
    private int[] lastKeys;

    /**
     * @param sketched the SLOs whose values go into sketches (quantile and tail SLOs)
     * @param maxEntries most open partials held before a flush
     * @param intervalMs the history interval (whole minutes dividing an hour): one batch each
     */
    PerCohortPartialBuckets(CohortKeys cohorts, Set<String> sketched, int maxEntries, long intervalMs) {
        if (intervalMs < TimeBuckets.MINUTE || intervalMs % TimeBuckets.MINUTE != 0) {
            throw new IllegalArgumentException("interval must be whole minutes: " + intervalMs);
        }
        this.cohorts = cohorts;
        this.sketched = sketched;
        this.maxEntries = maxEntries;
        this.interval = intervalMs;
        this.slots = (int) (intervalMs / TimeBuckets.MINUTE);
    }

    /** One minute per batch. */
    PerCohortPartialBuckets(CohortKeys cohorts, Set<String> sketched, int maxEntries) {
        this(cohorts, sketched, maxEntries, TimeBuckets.MINUTE);
    }

    /** Folds one observation into each cohort it counts in; returns true when over the bound. */
    public boolean add(Observation o) {
        int[] keys = cohortsOf(o);
        if (keys.length == 0) {
            return false;
        }
        long minute = TimeBuckets.endOf(o.t(), TimeBuckets.MINUTE);
        long intervalEnd = TimeBuckets.endOf(minute, interval);
        Slo slo = slo(o.slo());
        if (intervalEnd != lastInterval || lastBySlo == null) {
            lastBySlo = open.get(intervalEnd);
            if (lastBySlo == null) {
                lastBySlo = new Open[sloList.size()][][];
                open.put(intervalEnd, lastBySlo);
            }
            lastInterval = intervalEnd;
        }
        if (slo.id() >= lastBySlo.length) {
            lastBySlo = java.util.Arrays.copyOf(lastBySlo, sloList.size());
            open.put(intervalEnd, lastBySlo);
        }
        Open[][] bySeries = lastBySlo[slo.id()];
        if (bySeries == null || bySeries.length < cohortNames.size()) {
            bySeries = bySeries == null ? new Open[cohortNames.size()][]
                    : java.util.Arrays.copyOf(bySeries, Math.max(cohortNames.size(), 2 * bySeries.length));
            lastBySlo[slo.id()] = bySeries;
        }
        int slot = slots - 1 - (int) ((intervalEnd - minute) / TimeBuckets.MINUTE);
        boolean sketch = !Double.isNaN(o.value()) && slo.sketched();
        boolean pair = JudgeCorrection.isPair(o.slo(), o.value());
        for (int cohort : keys) {
            Open[] series = bySeries[cohort];
            if (series == null) {
                series = new Open[slots];
                bySeries[cohort] = series;
            }
            Open p = series[slot];
            if (p == null) {
                p = new Open();
                series[slot] = p;
                entries++;
            }
            if (pair) {
                // a judged request a person rated: sums for the judge correction only
                if (p.pairs == null) {
                    p.pairs = new io.llmslo.ppi.PpiMoments();
                }
                p.pairs.addPair(o.good(), o.value() > 0, Math.abs(o.value()));
                // a pair is data of its series: it keeps the series stepping while in the window,
                // as the evaluator's read-ahead path sees its minute bucket (DESIGN §7b)
                p.maxT = Math.max(p.maxT, o.t());
                continue;
            }
            p.n++;
            if (o.good()) {
                p.good++;
            }
            p.maxT = Math.max(p.maxT, o.t());
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
        return entries > maxEntries || cohortNames.size() > maxEntries;
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

    private int[] cohortsOf(Observation o) {
        boolean perProvider = SloCatalog.PROVIDER_SUCCESS.equals(o.slo());
        // a response's observations share their dims map: fan it out once, not once per SLO
        if (lastKeys == null || perProvider != lastPerProvider
                || (o.dims() != lastDims && !o.dims().equals(lastDims))) {
            List<String> keys = cohorts.keysFor(o.slo(), o.dims());
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
            lastKeys = ids;
            lastDims = o.dims();
            lastPerProvider = perProvider;
        }
        return lastKeys;
    }

    /** Emits and forgets every partial of an interval ending at or before {@code watermark}. */
    public void flushUpTo(long watermark, Consumer<PartialBatch> out) {
        Iterator<Map.Entry<Long, Open[][][]>> it = open.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Open[][][]> batch = it.next();
            if (batch.getKey() > watermark) {
                break;
            }
            it.remove();
            if (batch.getValue() == lastBySlo) {
                lastBySlo = null;
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
            lastKeys = null;
            lastDims = null;
            lastBySlo = null;
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

    private void emit(long intervalEnd, Open[][][] bySlo, Consumer<PartialBatch> out) {
        long first = intervalEnd - interval + TimeBuckets.MINUTE;
        List<PartialBatch> batches = new ArrayList<>();
        for (int s = 0; s < bySlo.length; s++) {
            Open[][] bySeries = bySlo[s];
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
