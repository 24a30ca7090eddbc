package io.llmslo.bench;

import io.llmslo.event.Envelope;
import io.llmslo.event.EventKind;
import io.llmslo.event.EventParser;
import io.llmslo.event.FeedbackEvent;
import io.llmslo.event.RatingEvent;
import io.llmslo.event.ResponseEvent;
import io.llmslo.sim.Scenario;
import io.llmslo.sim.TrafficSimulator;
import io.llmslo.slo.CohortKeys;
import io.llmslo.slo.Observation;
import io.llmslo.slo.ObservationFactory;
import io.llmslo.slo.SloCatalog;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A scenario's traffic as the SLO engine sees it, without a MiniCluster: the simulator writes its
 * JSONL files, the job's parser reads them, the acceptance rule of DESIGN §2 (first negative signal
 * within 10 minutes, else accepted at ts + 10 min) and the job's {@link ObservationFactory} and
 * {@link CohortKeys} make the observations of every (slo, cohort) series, sorted by time.
 */
final class BenchTraffic {

    static final long ACCEPTANCE_WINDOW = 10 * 60_000L;

    /** One series' observations in time order. */
    static final class Series {
        final String slo;
        final String cohort;
        long[] t;
        boolean[] good;
        double[] value;
        int size;

        Series(String slo, String cohort) {
            this.slo = slo;
            this.cohort = cohort;
            t = new long[64];
            good = new boolean[64];
            value = new double[64];
        }

        void add(long at, boolean g, double v) {
            if (size == t.length) {
                t = Arrays.copyOf(t, size * 2);
                good = Arrays.copyOf(good, size * 2);
                value = Arrays.copyOf(value, size * 2);
            }
            t[size] = at;
            good[size] = g;
            value[size] = v;
            size++;
        }

        void sort() {
            Integer[] idx = new Integer[size];
            for (int i = 0; i < size; i++) {
                idx[i] = i;
            }
            Arrays.sort(idx, (a, b) -> Long.compare(t[a], t[b]));
            long[] t2 = new long[size];
            boolean[] g2 = new boolean[size];
            double[] v2 = new double[size];
            for (int i = 0; i < size; i++) {
                t2[i] = t[idx[i]];
                g2[i] = good[idx[i]];
                v2[i] = value[idx[i]];
            }
            t = t2;
            good = g2;
            value = v2;
        }

        /** Observations with from < t ≤ to. */
        long count(long from, long to) {
            return upper(to) - upper(from);
        }

        /** Bad observations with from ≤ t < to. */
        long[] countsIn(long from, long to) {
            long n = 0;
            long bad = 0;
            for (int i = lower(from); i < size && t[i] < to; i++) {
                n++;
                if (!good[i]) {
                    bad++;
                }
            }
            return new long[] {n, bad};
        }

        private int upper(long x) {
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (t[mid] <= x) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        private int lower(long x) {
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (t[mid] < x) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    private BenchTraffic() {}

    /** Simulates {@code scenario} into {@code dir} and returns its series, keyed "slo|cohort". */
    static Map<String, Series> of(Scenario scenario, Path dir, SloCatalog catalog, CohortKeys cohorts,
            Set<String> slos) throws IOException {
        TrafficSimulator.run(scenario, dir);
        EventParser parser = new EventParser();
        ObservationFactory factory = new ObservationFactory(catalog);
        Map<String, Series> series = new TreeMap<>();
        java.util.function.Consumer<Observation> sink = o -> {
            if (!slos.contains(o.slo())) {
                return;
            }
            for (String cohort : cohorts.keysFor(o.slo(), o.dims())) {
                series.computeIfAbsent(o.slo() + "|" + cohort, k -> new Series(o.slo(), cohort))
                        .add(o.t(), o.good(), o.value());
            }
        };
        Map<String, ResponseEvent> responses = new HashMap<>();
        for (Envelope e : read(parser, EventKind.RESPONSE, dir.resolve(TrafficSimulator.RESPONSES))) {
            ResponseEvent r = e.response();
            if (responses.putIfAbsent(r.requestId(), r) == null) { // a second response is a duplicate
                factory.onResponse(r, ObservationFactory.dims(r), sink);
            }
        }
        Map<String, Long> firstNegative = new HashMap<>();
        for (Envelope e : read(parser, EventKind.FEEDBACK, dir.resolve(TrafficSimulator.FEEDBACK))) {
            FeedbackEvent f = e.feedback();
            ResponseEvent r = responses.get(f.requestId());
            if (r != null && f.signal().negative() && f.ts() <= r.ts() + ACCEPTANCE_WINDOW) {
                firstNegative.merge(f.requestId(), f.ts(), Math::min);
            }
        }
        for (ResponseEvent r : responses.values()) {
            if (r.success()) {
                Long neg = firstNegative.get(r.requestId());
                Observation o = neg == null
                        ? factory.acceptance(r.ts() + ACCEPTANCE_WINDOW, ObservationFactory.dims(r), true)
                        : factory.acceptance(neg, ObservationFactory.dims(r), false);
                if (o != null) {
                    sink.accept(o);
                }
            }
        }
        Set<String> rated = new HashSet<>();
        for (Envelope e : read(parser, EventKind.RATING, dir.resolve(TrafficSimulator.RATINGS))) {
            RatingEvent g = e.rating();
            ResponseEvent r = responses.get(g.requestId());
            if (r != null && rated.add(g.requestId() + "|" + g.raterId())) {
                Observation o = factory.humanUseful(g.ts(), ObservationFactory.dims(r), g.useful());
                if (o != null) {
                    sink.accept(o);
                }
            }
        }
        for (Series s : series.values()) {
            s.sort();
        }
        return series;
    }

    private static List<Envelope> read(EventParser parser, EventKind kind, Path file) throws IOException {
        List<Envelope> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                Envelope e = parser.parse(kind, line);
                if (!e.isDead()) {
                    out.add(e);
                }
            }
        }
        return out;
    }
}
