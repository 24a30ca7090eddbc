package io.llmslo.sink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One table, rows buffered by primary key: a batch writes only the last row per key (a table
 * rewritten every interval compacts many writes into one), in key order when keys are text (as
 * {@link TableSchemas} makes them): the buffer holds rows interleaved across many keys, and
 * writing them in index order touches each index page once instead of once per row.
 */
final class KeyedRowBuffer<T> implements RowBuffer<T> {

    private final TableSpec<T> table;
    private final Map<Object, T> rows = new LinkedHashMap<>();

    KeyedRowBuffer(TableSpec<T> table) {
        this.table = table;
    }

    @Override
    public List<TableSpec<T>> tables() {
        return List.of(table);
    }

    @Override
    public void add(T row) {
        rows.put(table.keyOf(row), row);
    }

    @Override
    public int size() {
        return rows.size();
    }

    @Override
    public void clear() {
        rows.clear();
    }

    @Override
    public List<Batch<T>> batches() {
        return List.of(new Batch<>(table, inKeyOrder()));
    }

    @Override
    public List<Batch<T>> rowByRow() {
        return List.of(new Batch<>(table, new ArrayList<>(rows.values())));
    }

    private List<T> inKeyOrder() {
        for (Object k : rows.keySet()) {
            if (!(k instanceof String)) {
                return new ArrayList<>(rows.values());
            }
        }
        List<Map.Entry<Object, T>> entries = new ArrayList<>(rows.entrySet());
        entries.sort((a, b) -> ((String) a.getKey()).compareTo((String) b.getKey()));
        List<T> out = new ArrayList<>(entries.size());
        for (Map.Entry<Object, T> e : entries) {
            out.add(e.getValue());
        }
        return out;
    }
}
