package io.llmslo.slo;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The local half of local-global aggregation: cohort observations folded in memory into partial
 * buckets per (slo, cohort, minute), with counts and live sketch objects (a value costs one sketch
 * insert, no encode). Bounded: past {@code maxEntries} open partials everything is flushed, which
 * is always correct because the evaluator's merge is a sum. Plain Java; {@link
 * LocalAggregationOperator} decides when to flush (watermark past the minute, checkpoint barrier,
 * end of input).
 */
public final class PartialBuckets {

    private static final class Open {
        long n;
        long good;
        long maxT = Long.MIN_VALUE;
        DDSketch sketch;
        /** quality.judge_high pair observations (JudgeCorrection): not in n/good. */
        io.llmslo.ppi.PpiMoments pairs;
    }

    /** Values of one partial past which its sketch moves from a sparse to a dense store. */
    static final long DENSE_FROM = 64;

    private final CohortKeys cohorts;
    private final Set<String> sketched;
    private final int maxEntries;
    /** minute end → slo → cohort → partial; minutes in order, so a watermark flushes a prefix. */
    private final TreeMap<Long, Map<String, Map<String, Open>>> open = new TreeMap<>();
    private int entries;

    /** The fan-out of the last observation's dims, reused while the same request emits. */
    private Map<String, String> lastDims;
    private boolean lastPerProvider;
    private List<String> lastKeys;

    /**
     * @param sketched the SLOs whose values go into sketches (quantile and tail SLOs)
     * @param maxEntries most open partials held before a flush
     */
    public PartialBuckets(CohortKeys cohorts, Set<String> sketched, int maxEntries) {
        this.cohorts = cohorts;
        this.sketched = sketched;
        this.maxEntries = maxEntries;
    }

    /** Folds one observation into each cohort it counts in; returns true when over the bound. */
    public boolean add(Observation o) {
        List<String> keys = cohortsOf(o);
        if (keys.isEmpty()) {
            return false;
        }
        long minute = TimeBuckets.endOf(o.t(), TimeBuckets.MINUTE);
        Map<String, Open> bySeries = open.computeIfAbsent(minute, m -> new HashMap<>())
                .computeIfAbsent(o.slo(), s -> new HashMap<>());
        boolean sketch = !Double.isNaN(o.value()) && sketched.contains(o.slo());
        boolean pair = JudgeCorrection.isPair(o.slo(), o.value());
        for (String cohort : keys) {
            Open p = bySeries.get(cohort);
            if (p == null) {
                p = new Open();
                bySeries.put(cohort, p);
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
                    // a partial holds a few values: a sparse store costs per value, a dense one per
                    // bin of the values' range (hundreds for latencies); both hold the same bins,
                    // so the encoded sketch and every quantile are the same
                    p.sketch = DDSketches.sparse(QuantileSketches.RELATIVE_ACCURACY);
                } else if (p.n == DENSE_FROM) {
                    DDSketch dense = QuantileSketches.empty();
                    dense.mergeWith(p.sketch);
                    p.sketch = dense;
                }
                p.sketch.accept(Math.max(0.0, o.value())); // as QuantileSketches.add
            }
        }
        return entries > maxEntries;
    }

    private List<String> cohortsOf(Observation o) {
        boolean perProvider = SloCatalog.PROVIDER_SUCCESS.equals(o.slo());
        // a response's observations share their dims map: fan it out once, not once per SLO
        if (lastKeys == null || perProvider != lastPerProvider
                || (o.dims() != lastDims && !o.dims().equals(lastDims))) {
            lastKeys = cohorts.keysFor(o.slo(), o.dims());
            lastDims = o.dims();
            lastPerProvider = perProvider;
        }
        return lastKeys;
    }

    /** Emits and forgets every partial of a minute ending at or before {@code watermark}. */
    public void flushUpTo(long watermark, Consumer<PartialBucket> out) {
        Iterator<Map.Entry<Long, Map<String, Map<String, Open>>>> it = open.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Map<String, Map<String, Open>>> minute = it.next();
            if (minute.getKey() > watermark) {
                break;
            }
            emit(minute.getKey(), minute.getValue(), out);
            it.remove();
        }
    }

    /** Emits and forgets every partial (checkpoint barrier, end of input, over the bound). */
    public void flushAll(Consumer<PartialBucket> out) {
        flushUpTo(Long.MAX_VALUE, out);
    }

    public int size() {
        return entries;
    }

    private void emit(long minute, Map<String, Map<String, Open>> bySlo, Consumer<PartialBucket> out) {
        List<PartialBucket> batch = new ArrayList<>();
        for (Map.Entry<String, Map<String, Open>> slo : bySlo.entrySet()) {
            for (Map.Entry<String, Open> c : slo.getValue().entrySet()) {
                Open p = c.getValue();
                batch.add(new PartialBucket(slo.getKey() + "|" + c.getKey(), slo.getKey(), c.getKey(), minute, p.n,
                        p.good, p.maxT, p.sketch == null ? null : QuantileSketches.encode(p.sketch), p.pairs));
            }
        }
        entries -= batch.size();
        batch.forEach(out);
    }
}
