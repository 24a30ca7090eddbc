package io.llmslo.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The open acceptance windows of one joiner subtask, against a plain list as the oracle: what is
 * released at each watermark, cancels of interchangeable requests, and a snapshot read back by
 * the subtasks that own its key groups.
 */
class PendingAcceptancesTest {

    static final String[] EU = {"chat", "eu"};
    static final String[] US = {"chat", "us"};

    record Entry(long due, String dims, int keyGroup) {}

    @Test
    void releasesInDueOrderWhatTheWatermarkPassedAndNothingCancelled() {
        Random random = new Random(7);
        PendingAcceptances pending = new PendingAcceptances();
        List<Entry> oracle = new ArrayList<>();
        List<Entry> released = new ArrayList<>();
        long watermark = 0;
        for (int step = 0; step < 20_000; step++) {
            int action = random.nextInt(10);
            if (action < 6) {
                // out of order by up to 2 minutes, as a watermark's disorder allows
                long due = watermark + 1 + random.nextInt(120_000);
                String[] dims = random.nextBoolean() ? EU : US;
                int kg = random.nextInt(4);
                pending.add(due, dims.clone(), 7, kg);
                oracle.add(new Entry(due, dims[1], kg));
            } else if (action < 8 && !oracle.isEmpty()) {
                Entry e = oracle.remove(random.nextInt(oracle.size()));
                pending.cancel(e.due(), new String[] {"chat", e.dims()}, 7, e.keyGroup());
            } else {
                watermark += random.nextInt(30_000);
                long w = watermark;
                List<Entry> due = oracle.stream().filter(e -> e.due() <= w)
                        .sorted(java.util.Comparator.comparingLong(Entry::due)).toList();
                oracle.removeAll(due);
                released.clear();
                pending.releaseUpTo(w, (d, dims, schema) -> released.add(new Entry(d, dims[1], -1)));
                assertThat(released).extracting(Entry::due).isSorted()
                        .containsExactlyInAnyOrderElementsOf(due.stream().map(Entry::due).toList());
                assertThat(released).extracting(Entry::dims)
                        .containsExactlyInAnyOrderElementsOf(due.stream().map(Entry::dims).toList());
            }
        }
        pending.releaseUpTo(Long.MAX_VALUE, (d, dims, schema) -> oracle.removeIf(e -> e.due() == d
                && e.dims().equals(dims[1])));
        assertThat(oracle).isEmpty();
        assertThat(pending.size()).isZero();
        assertThat(pending.distinctDims()).as("dims forgotten when nothing refers to them").isZero();
    }

    @Test
    void aCancelOfANeverAddedRequestFailsLoudly() {
        PendingAcceptances pending = new PendingAcceptances();
        assertThatThrownBy(() -> pending.cancel(10, EU, 7, 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSnapshotIsSplitByKeyGroupWithItsCancels() throws Exception {
        PendingAcceptances pending = new PendingAcceptances();
        for (int kg = 0; kg < 8; kg++) {
            pending.add(1_000 + kg, EU, 7, kg);
            pending.add(1_000 + kg, EU, 7, kg); // two interchangeable requests ...
            pending.add(2_000 + kg, US, 7, kg);
        }
        for (int kg = 0; kg < 8; kg++) {
            pending.cancel(1_000 + kg, EU, 7, kg); // ... one of them cancelled
        }
        DataOutputSerializer out = new DataOutputSerializer(64);
        pending.write(out, 500, 0, 7);
        byte[] snapshot = out.getCopyOfBuffer();

        List<Long> all = new ArrayList<>();
        for (int[] range : new int[][] {{0, 2}, {3, 7}}) {
            PendingAcceptances part = new PendingAcceptances();
            PendingAcceptances.Restored r = part.read(new DataInputDeserializer(snapshot), range[0], range[1]);
            assertThat(r).isEqualTo(new PendingAcceptances.Restored(500, 0, 7));
            List<Long> released = new ArrayList<>();
            part.releaseUpTo(Long.MAX_VALUE, (d, dims, schema) -> {
                assertThat(schema).isEqualTo(7);
                released.add(d);
            });
            int groups = range[1] - range[0] + 1;
            assertThat(released).hasSize(2 * groups)
                    .allSatisfy(d -> assertThat(d % 1_000).isBetween((long) range[0], (long) range[1]));
            all.addAll(released);
        }
        List<Long> expected = new ArrayList<>();
        pending.releaseUpTo(Long.MAX_VALUE, (d, dims, schema) -> expected.add(d));
        assertThat(all).containsExactlyInAnyOrderElementsOf(expected).hasSize(16);
    }
}
