package io.llmslo.sink;

import java.io.Serializable;
import java.util.List;

/**
 * What a {@link JdbcUpsertSink} writer holds between flushes, and which rows each of its tables
 * gets when it flushes (one transaction for all of them). Every upsert is idempotent, so a
 * buffer decides only how much is written and in which order, never what the tables end up
 * holding: that is the last row per primary key, in arrival order.
 */
interface RowBuffer<T> {

    /** The rows one table gets at a flush, in the order they are written. */
    record Batch<T>(TableSpec<T> table, List<T> rows) {}

    /** Makes a writer's buffer (sinks are serialized into the job graph, buffers are not). */
    @FunctionalInterface
    interface Factory<T> extends Serializable {
        RowBuffer<T> create();
    }

    /** The tables this buffer writes, created when the writer opens. */
    List<TableSpec<T>> tables();

    /** Adds a row; a row that cannot be keyed throws a {@link RuntimeException} and is not added. */
    void add(T row);

    /** Rows held: the writer flushes when this reaches its batch size. */
    int size();

    void clear();

    List<Batch<T>> batches();

    /** Every row held, in arrival order (the row-by-row retry). */
    List<Batch<T>> rowByRow();
}
