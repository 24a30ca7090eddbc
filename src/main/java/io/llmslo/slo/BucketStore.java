package io.llmslo.slo;

import java.util.Map;

/**
 * Buckets keyed by their end instant. Flink's {@code MapState} in the job, a {@code HashMap} in
 * unit tests: the engine does not care which.
 */
public interface BucketStore {

    Bucket get(long end) throws Exception;

    void put(long end, Bucket bucket) throws Exception;

    void remove(long end) throws Exception;

    Iterable<Map.Entry<Long, Bucket>> entries() throws Exception;

    /** An in-memory store for tests and benchmarks. */
    static BucketStore inMemory() {
        java.util.HashMap<Long, Bucket> map = new java.util.HashMap<>();
        return new BucketStore() {
            @Override
            public Bucket get(long end) {
                return map.get(end);
            }

            @Override
            public void put(long end, Bucket bucket) {
                map.put(end, bucket);
            }

            @Override
            public void remove(long end) {
                map.remove(end);
            }

            @Override
            public Iterable<Map.Entry<Long, Bucket>> entries() {
                return new java.util.ArrayList<>(map.entrySet());
            }
        };
    }
}
