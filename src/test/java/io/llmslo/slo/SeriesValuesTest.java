package io.llmslo.slo;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.slo.alert.AlertState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The write-behind cache of the series' values against a keyed store of maps with a key context,
 * as Flink's: every state access is logged with the key it was made under.
 */
class SeriesValuesTest {

    /** Keyed state: key → value per kind, and the current key. */
    static final class Keyed implements SeriesValues.Store, SeriesValues.Keys {
        final Map<String, SeriesProgress> progress = new HashMap<>();
        final Map<String, AlertState> alerts = new HashMap<>();
        final Map<String, TailBaseline> tails = new HashMap<>();
        final Map<String, Map<Long, Bucket>> minutes = new HashMap<>();
        final List<String> log = new ArrayList<>();
        String key;

        @Override
        public String current() {
            return key;
        }

        @Override
        public void set(String key) {
            this.key = key;
        }

        @Override
        public SeriesProgress readProgress() {
            log.add("get progress " + key);
            return progress.get(key);
        }

        @Override
        public AlertState readAlerts() {
            log.add("get alerts " + key);
            return alerts.get(key);
        }

        @Override
        public TailBaseline readTail() {
            log.add("get tail " + key);
            return tails.get(key);
        }

        @Override
        public void writeProgress(SeriesProgress p) {
            log.add((p == null ? "clear" : "put") + " progress " + key);
            put(progress, p);
        }

        @Override
        public void writeAlerts(AlertState a) {
            log.add((a == null ? "clear" : "put") + " alerts " + key);
            put(alerts, a);
        }

        @Override
        public void writeTail(TailBaseline t) {
            log.add((t == null ? "clear" : "put") + " tail " + key);
            put(tails, t);
        }

        @Override
        public void writeBuckets(RecentBuckets.Memo m, RecentBuckets.Memo h) throws Exception {
            new RecentBuckets(minuteStore()).writeBack(m);
        }

        /** The minute buckets of the current key. */
        BucketStore minuteStore() {
            String k = key;
            return new BucketStore() {
                @Override
                public Bucket get(long end) {
                    log.add("get minute " + end + " " + k);
                    return minutes.computeIfAbsent(k, x -> new HashMap<>()).get(end);
                }

                @Override
                public void put(long end, Bucket b) {
                    log.add("put minute " + end + " " + k);
                    minutes.computeIfAbsent(k, x -> new HashMap<>()).put(end, b);
                }

                @Override
                public void remove(long end) {
                    log.add("remove minute " + end + " " + k);
                    minutes.computeIfAbsent(k, x -> new HashMap<>()).remove(end);
                }

                @Override
                public Iterable<Map.Entry<Long, Bucket>> entries() {
                    return new HashMap<>(minutes.computeIfAbsent(k, x -> new HashMap<>())).entrySet();
                }
            };
        }

        private <T> void put(Map<String, T> m, T v) {
            if (v == null) {
                m.remove(key);
            } else {
                m.put(key, v);
            }
        }
    }

    static SeriesProgress progressAt(long lastEval) {
        SeriesProgress p = new SeriesProgress();
        p.lastEval = lastEval;
        return p;
    }

    /** One element of a series: the key context set to it, then its value read and changed. */
    static void step(SeriesValues v, Keyed state, String key, long lastEval) throws Exception {
        state.set(key);
        SeriesValues.Entry e = v.of(key);
        SeriesProgress p = v.progress(e);
        v.progressChanged(e, p == null ? progressAt(lastEval) : progressAt(Math.max(p.lastEval, lastEval)));
    }

    @Test
    void readsOnceAndWritesOnlyAtTheFlushUnderEachEntrysKey() throws Exception {
        Keyed state = new Keyed();
        SeriesValues v = new SeriesValues(state, 10);
        v.attach(state);
        for (long t = 1; t <= 5; t++) {
            step(v, state, "a", t);
            step(v, state, "b", 10 * t);
        }
        assertThat(state.log).containsExactly("get progress a", "get progress b");
        state.set("b");
        v.flush();
        assertThat(state.log).containsExactly("get progress a", "get progress b", "put progress a", "put progress b");
        assertThat(state.progress.get("a").lastEval).isEqualTo(5);
        assertThat(state.progress.get("b").lastEval).isEqualTo(50);
        assertThat(state.key).as("the key context is given back").isEqualTo("b");
        v.flush();
        assertThat(state.log).as("nothing dirty: nothing written").hasSize(4);
    }

    @Test
    void anEvictedEntryIsWrittenBackUnderItsOwnKeyAndReadAgainLater() throws Exception {
        Keyed state = new Keyed();
        SeriesValues v = new SeriesValues(state, 2);
        v.attach(state);
        step(v, state, "a", 1);
        step(v, state, "b", 2);
        step(v, state, "c", 3); // evicts a, the least recently used
        assertThat(v.size()).isEqualTo(2);
        assertThat(state.log).containsExactly("get progress a", "get progress b", "put progress a", "get progress c");
        assertThat(state.progress.get("a").lastEval).isEqualTo(1);
        assertThat(state.key).as("back in c's context").isEqualTo("c");
        step(v, state, "a", 4); // evicts b; a is read from state again
        assertThat(state.log).endsWith("put progress b", "get progress a");
        v.flush();
        assertThat(state.progress.get("a").lastEval).isEqualTo(4);
        assertThat(state.progress.get("b").lastEval).isEqualTo(2);
        assertThat(state.progress.get("c").lastEval).isEqualTo(3);
    }

    @Test
    void aClearIsWrittenOnlyForAValueStateHolds() throws Exception {
        Keyed state = new Keyed();
        state.alerts.put("a", new AlertState());
        SeriesValues v = new SeriesValues(state, 10);
        v.attach(state);
        for (String key : new String[] {"a", "b"}) {
            state.set(key);
            SeriesValues.Entry e = v.of(key);
            v.alerts(e);
            v.alertsChanged(e, new AlertState());
            v.alertsChanged(e, null); // opened and closed between two barriers
        }
        v.flush();
        assertThat(state.log).containsExactly("get alerts a", "get alerts b", "clear alerts a");
        assertThat(state.alerts).isEmpty();
    }

    @Test
    void aDroppedSeriesWritesNothingAndIsReadFromStateAfterwards() throws Exception {
        Keyed state = new Keyed();
        SeriesValues v = new SeriesValues(state, 10);
        v.attach(state);
        step(v, state, "a", 1);
        state.progress.remove("a"); // the idle-series drop clears state behind the cache
        v.dropped(v.of("a"));
        v.flush();
        assertThat(state.progress).isEmpty();
        step(v, state, "a", 2);
        assertThat(state.log).containsExactly("get progress a", "get progress a");
    }

    @Test
    void withoutAKeyContextEveryElementReadsAndWritesAsBefore() throws Exception {
        Keyed state = new Keyed();
        SeriesValues v = new SeriesValues(state, 10);
        for (long t = 1; t <= 2; t++) {
            step(v, state, "a", t);
            v.settle();
        }
        v.flush();
        assertThat(state.log).containsExactly("get progress a", "put progress a", "get progress a", "put progress a");
        assertThat(v.stateReads()).isEqualTo(2);
        assertThat(v.stateWrites()).isEqualTo(2);
        assertThat(v.size()).isZero();
    }

    /** Buckets put through a series' memo reach state at the flush or on eviction, under its key, once. */
    @Test
    void bucketsPutThroughAnEntryAreWrittenUnderItsKeyAtTheFlushOrOnEviction() throws Exception {
        Keyed state = new Keyed();
        SeriesValues v = new SeriesValues(state, 2);
        v.attach(state);
        for (String key : new String[] {"a", "b"}) {
            state.set(key);
            RecentBuckets minutes = new RecentBuckets(state.minuteStore());
            minutes.use(v.of(key).minutes());
            for (int i = 0; i < 2; i++) { // two batches of the same minute: one write
                Bucket b = minutes.get(60_000);
                minutes.put(60_000, b == null ? new Bucket(1, 1, null) : new Bucket(b.n + 1, b.good, null));
            }
        }
        assertThat(state.log).containsExactly("get minute 60000 a", "get minute 60000 b");
        state.set("c");
        v.of("c"); // evicts a
        assertThat(state.log).endsWith("put minute 60000 a");
        assertThat(state.key).isEqualTo("c");
        v.flush();
        assertThat(state.log).endsWith("put minute 60000 a", "put minute 60000 b");
        assertThat(state.minutes.get("a").get(60_000L).n).isEqualTo(2);
        assertThat(state.minutes.get("b").get(60_000L).n).isEqualTo(2);
    }
}
