package io.llmslo.sim;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * A JSONL file written in arrival order. Lines are buffered until the generator promises that
 * nothing earlier can still come ({@link #flushBefore}), so memory stays bounded by a few days
 * of events however long the scenario is.
 */
final class JsonlSink implements Closeable {
    private record Pending(long arrival, long seq, String line) { }

    private static final Comparator<Pending> ORDER =
            Comparator.comparingLong(Pending::arrival).thenComparingLong(Pending::seq);

    private final PriorityQueue<Pending> pending = new PriorityQueue<>(ORDER);
    private final BufferedWriter out;
    private long seq;
    private long written;
    private boolean closed;

    JsonlSink(Path file) throws IOException {
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    void add(long arrivalMillis, String line) {
        pending.add(new Pending(arrivalMillis, seq++, line));
    }

    void flushBefore(long arrivalMillis) throws IOException {
        while (!pending.isEmpty() && pending.peek().arrival() < arrivalMillis) {
            write(pending.poll());
        }
    }

    long lines() {
        return written;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flushBefore(Long.MAX_VALUE);
        } finally {
            out.close();
        }
    }

    private void write(Pending p) throws IOException {
        out.write(p.line());
        out.write('\n');
        written++;
    }
}
