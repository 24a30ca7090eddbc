package io.llmslo.sink;

import io.llmslo.slo.SloStatus;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotent upsert sink for one {@link TableSpec} (or, {@link #statusAndHistory}, the two tables
 * of the evaluations). Rows are held in a {@link RowBuffer} — by primary key, so a batch writes
 * only the last row per key (slo_status is rewritten every interval; a replay compacts millions
 * of those writes) — and flushed in one transaction when the batch is full, on a timer, before
 * every checkpoint and at the end of a bounded input. Rows whose trailing columns are null go
 * through the table's narrow statement ({@link TableSpec#withNullTail}): fewer parameters to
 * bind, the same stored row.
 *
 * <p>Exactly-once tables follow from at-least-once delivery plus idempotent upserts: after a
 * restore the job re-emits the same rows for the same keys, and they overwrite themselves. The
 * connector's DataStream {@code JdbcSink} has no per-key buffer reduction (only its Table API
 * does), which is why this small sink exists.
 */
public final class JdbcUpsertSink<T> implements Sink<T> {

    private final JdbcSettings settings;
    private final RowBuffer.Factory<T> buffers;

    /** One table, the last row per primary key of each batch ({@link KeyedRowBuffer}). */
    public JdbcUpsertSink(JdbcSettings settings, TableSpec<T> table) {
        this(settings, () -> new KeyedRowBuffer<>(table));
    }

    private JdbcUpsertSink(JdbcSettings settings, RowBuffer.Factory<T> buffers) {
        this.settings = settings;
        this.buffers = buffers;
    }

    /**
     * {@code slo_history} and {@code slo_status} from one stream of evaluations
     * ({@link StatusHistoryBuffer}): the same two tables as a sink per table, each row crossing
     * to the writer once.
     */
    public static JdbcUpsertSink<SloStatus> statusAndHistory(JdbcSettings settings) {
        return new JdbcUpsertSink<>(settings, StatusHistoryBuffer::new);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new Writer<>(settings, buffers.create(), context.getProcessingTimeService());
    }

    static final class Writer<T> implements SinkWriter<T> {

        private static final Logger LOG = LoggerFactory.getLogger(JdbcUpsertSink.class);
        private static final int MAX_ATTEMPTS = 5;

        private final JdbcSettings settings;
        private final RowBuffer<T> buffer;
        /** The tables' names, for logs and exceptions. */
        private final String name;
        private final SqlDialect dialect;
        private final ProcessingTimeService time;
        private Connection connection;
        private boolean closed;
        private long skipped;

        Writer(JdbcSettings settings, TableSpec<T> table, ProcessingTimeService time) throws IOException {
            this(settings, new KeyedRowBuffer<>(table), time);
        }

        Writer(JdbcSettings settings, RowBuffer<T> buffer, ProcessingTimeService time) throws IOException {
            this.settings = settings;
            this.buffer = buffer;
            this.name = buffer.tables().stream().map(TableSpec::name).collect(Collectors.joining(" + "));
            this.dialect = SqlDialect.of(settings.url());
            this.time = time;
            try {
                connection = settings.connect();
                for (TableSpec<T> table : buffer.tables()) {
                    TableSchemas.create(connection, table);
                }
            } catch (SQLException e) {
                throw new IOException("cannot open table " + name + " at " + settings.redactedUrl()
                        + ": " + e.getMessage(), e);
            }
            scheduleFlush();
        }

        private void scheduleFlush() {
            if (time == null || settings.flushIntervalMs() <= 0) {
                return;
            }
            time.registerTimer(time.getCurrentProcessingTime() + settings.flushIntervalMs(), ts -> {
                if (!closed) {
                    flushBuffer();
                    scheduleFlush();
                }
            });
        }

        @Override
        public void write(T row, Context context) throws IOException {
            try {
                buffer.add(row);
            } catch (RuntimeException e) {
                skip(null, "cannot key a row", e.getClass().getName());
                return;
            }
            if (buffer.size() >= settings.batchSize()) {
                flushBuffer();
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            flushBuffer();
        }

        private void flushBuffer() throws IOException {
            if (buffer.size() == 0) {
                return;
            }
            SQLException last = null;
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                try {
                    writeBatch();
                    buffer.clear();
                    return;
                } catch (SQLException e) {
                    last = e;
                    if (isRowProblem(e)) {
                        // one row the database refuses must not fail every batch after it
                        try {
                            writeRowByRow();
                            buffer.clear();
                            return;
                        } catch (SQLException again) {
                            last = again;
                        }
                    }
                    LOG.warn("write to {} failed (attempt {}/{}): {}", name, attempt, MAX_ATTEMPTS,
                            e.getMessage());
                    reconnect();
                    sleep(200L * attempt);
                }
            }
            throw new IOException("cannot write " + buffer.size() + " rows to " + name + " at "
                    + settings.redactedUrl() + ": " + last.getMessage(), last);
        }

        /** Every table's rows, then one commit. */
        private void writeBatch() throws SQLException {
            connection.setAutoCommit(false);
            try {
                for (RowBuffer.Batch<T> batch : buffer.batches()) {
                    writeBatch(batch.table(), batch.rows());
                }
                connection.commit();
            } catch (SQLException e) {
                try {
                    connection.rollback();
                } catch (SQLException ignored) {
                    // the connection is replaced on retry
                }
                throw e;
            }
        }

        private void writeBatch(TableSpec<T> table, List<T> rows) throws SQLException {
            String narrowSql = table.narrowUpsert();
            try (PreparedStatement full = connection.prepareStatement(table.upsert());
                    PreparedStatement narrow = narrowSql == null ? null : connection.prepareStatement(narrowSql)) {
                int fullRows = 0;
                int narrowRows = 0;
                for (T row : rows) {
                    boolean thin = narrow != null && table.fitsNarrow(row);
                    PreparedStatement ps = thin ? narrow : full;
                    if (bind(table, ps, row, thin)) {
                        ps.addBatch();
                        if (thin) {
                            narrowRows++;
                        } else {
                            fullRows++;
                        }
                    }
                }
                if (fullRows > 0) {
                    full.executeBatch();
                }
                if (narrowRows > 0) {
                    narrow.executeBatch();
                }
            }
        }

        /** Binds one row; a row whose conversion throws is skipped, never the whole batch. */
        private boolean bind(TableSpec<T> table, PreparedStatement ps, T row, boolean narrow) throws SQLException {
            try {
                if (narrow) {
                    table.bindNarrow(ps, row, dialect);
                } else {
                    table.bind(ps, row, dialect);
                }
                return true;
            } catch (RuntimeException e) {
                ps.clearParameters();
                skip(table, "cannot convert a row", e.getClass().getName());
                return false;
            }
        }

        /**
         * After a batch failed on its data: each row in its own transaction, skipping the rows the
         * database refuses for their content. Anything else (connection lost) still throws.
         */
        private void writeRowByRow() throws SQLException {
            connection.setAutoCommit(true);
            for (RowBuffer.Batch<T> batch : buffer.rowByRow()) {
                TableSpec<T> table = batch.table();
                String narrowSql = table.narrowUpsert();
                try (PreparedStatement full = connection.prepareStatement(table.upsert());
                        PreparedStatement narrow = narrowSql == null ? null : connection.prepareStatement(narrowSql)) {
                    for (T row : batch.rows()) {
                        boolean thin = narrow != null && table.fitsNarrow(row);
                        PreparedStatement ps = thin ? narrow : full;
                        if (!bind(table, ps, row, thin)) {
                            continue;
                        }
                        try {
                            ps.executeUpdate();
                        } catch (SQLException e) {
                            if (!isRowProblem(e)) {
                                throw e;
                            }
                            skip(table, "the database refused a row (SQLState " + e.getSQLState() + ")",
                                    "SQLException");
                        }
                    }
                }
            }
        }

        /**
         * Data exceptions (SQLState class 22, e.g. a value out of range or a byte sequence the
         * encoding rejects) and constraint violations (23) are about one row's content; SQLite
         * reports them as TOOBIG (18), CONSTRAINT (19), MISMATCH (20) and RANGE (25).
         */
        static boolean isRowProblem(SQLException e) {
            String state = e.getSQLState();
            if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                return true;
            }
            int code = e.getErrorCode() & 0xFF;
            return state == null && (code == 18 || code == 19 || code == 20 || code == 25);
        }

        private void skip(TableSpec<T> table, String what, String cause) {
            skipped++;
            if (skipped == 1 || Long.bitCount(skipped) == 1) {
                LOG.warn("{}: {} ({}); skipped, {} rows skipped so far", table == null ? name : table.name(), what,
                        cause, skipped);
            }
        }

        private void reconnect() {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
            try {
                connection = settings.connect();
            } catch (SQLException e) {
                LOG.warn("reconnect to {} failed: {}", settings.redactedUrl(), e.getMessage());
            }
        }

        private static void sleep(long ms) throws IOException {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while retrying a write", e);
            }
        }

        @Override
        public void close() throws Exception {
            closed = true;
            if (connection != null) {
                connection.close();
            }
        }
    }
}
