package io.llmslo.sink;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One output table: its columns, primary key, how to bind a row and how to key it. The DDL and
 * the upsert ({@code INSERT … ON CONFLICT … DO UPDATE}) are the same text for PostgreSQL and
 * SQLite (3.24+), which is what lets the embedded default and production share one schema.
 */
public final class TableSpec<T> implements Serializable {

    /** Binds a row's columns, in declaration order, starting at parameter 1. */
    @FunctionalInterface
    public interface Binder<T> extends Serializable {
        void bind(PreparedStatement ps, T row, SqlDialect dialect) throws SQLException;
    }

    /** Whether a row leaves the table's trailing columns null (see {@link #withNullTail}). */
    @FunctionalInterface
    public interface Fits<T> extends Serializable {
        boolean test(T row);
    }

    /** The primary-key value of a row, used to keep only the last write per key in a batch. */
    @FunctionalInterface
    public interface KeyOf<T> extends Serializable {
        Object key(T row);
    }

    /**
     * @param update the upsert's {@code SET} expression for this column; {@code null} means
     *     {@code excluded.<name>} (the new row wins)
     */
    public record Column(String name, String type, String update) implements Serializable {
        public Column(String name, String type) {
            this(name, type, null);
        }
    }

    private final String name;
    private final List<Column> columns;
    private final List<String> primaryKey;
    private final Binder<T> binder;
    private final KeyOf<T> keyOf;
    /** Columns the narrow form writes (0: none), its binder and which rows it may write. */
    private final int narrowColumns;
    private final Binder<T> narrowBinder;
    private final Fits<T> fitsNarrow;

    public TableSpec(String name, List<Column> columns, List<String> primaryKey, Binder<T> binder,
            KeyOf<T> keyOf) {
        this(name, columns, primaryKey, binder, keyOf, 0, null, null);
    }

    private TableSpec(String name, List<Column> columns, List<String> primaryKey, Binder<T> binder,
            KeyOf<T> keyOf, int narrowColumns, Binder<T> narrowBinder, Fits<T> fitsNarrow) {
        this.name = name;
        this.columns = List.copyOf(columns);
        this.primaryKey = List.copyOf(primaryKey);
        this.binder = binder;
        this.keyOf = keyOf;
        this.narrowColumns = narrowColumns;
        this.narrowBinder = narrowBinder;
        this.fitsNarrow = fitsNarrow;
    }

    /**
     * This table with a narrow form for the rows {@code fits} accepts, whose columns after the
     * first {@code kept} are all null: the sink writes those rows with {@link #narrowUpsert()},
     * binding {@code kept} parameters instead of all (the judge columns of {@code slo_history}
     * are null on all but one SLO, and binding is a native call per parameter on SQLite). The
     * stored row is the same either way: the omitted columns default to null on insert and are
     * set to null on conflict, as the full upsert's {@code excluded} nulls would.
     */
    public TableSpec<T> withNullTail(int kept, Binder<T> keptBinder, Fits<T> fits) {
        if (kept <= 0 || kept >= columns.size()) {
            throw new IllegalArgumentException("kept columns must be in 1.." + (columns.size() - 1) + ", got " + kept);
        }
        for (Column c : columns.subList(kept, columns.size())) {
            if (primaryKey.contains(c.name()) || c.update() != null) {
                throw new IllegalArgumentException("column " + c.name() + " cannot be left out of a narrow row");
            }
        }
        return new TableSpec<>(name, columns, primaryKey, binder, keyOf, kept, keptBinder, fits);
    }

    public String name() {
        return name;
    }

    public List<Column> columns() {
        return columns;
    }

    public String ddl() {
        String cols = columns.stream()
                .map(c -> "  " + c.name() + " " + c.type() + (primaryKey.contains(c.name()) ? " NOT NULL" : ""))
                .collect(Collectors.joining(",\n"));
        return "CREATE TABLE IF NOT EXISTS " + name + " (\n" + cols + ",\n  PRIMARY KEY ("
                + String.join(", ", primaryKey) + ")\n)";
    }

    public String upsert() {
        return upsert(columns.size());
    }

    /** The upsert of the narrow form (first {@code kept} columns, the rest null); null without one. */
    public String narrowUpsert() {
        return narrowColumns == 0 ? null : upsert(narrowColumns);
    }

    private String upsert(int kept) {
        List<Column> written = columns.subList(0, kept);
        String names = written.stream().map(Column::name).collect(Collectors.joining(", "));
        String marks = written.stream().map(c -> "?").collect(Collectors.joining(", "));
        String updates = columns.stream()
                .filter(c -> !primaryKey.contains(c.name()))
                .map(c -> c.name() + " = " + (columns.indexOf(c) >= kept ? "NULL"
                        : c.update() == null ? "excluded." + c.name() : c.update()))
                .collect(Collectors.joining(", "));
        return "INSERT INTO " + name + " (" + names + ") VALUES (" + marks + ") ON CONFLICT ("
                + String.join(", ", primaryKey) + ") DO UPDATE SET " + updates;
    }

    public void bind(PreparedStatement ps, T row, SqlDialect dialect) throws SQLException {
        binder.bind(ps, row, dialect);
    }

    /** Whether {@code row} may be written with the narrow form. */
    public boolean fitsNarrow(T row) {
        return narrowColumns > 0 && fitsNarrow.test(row);
    }

    /** Binds the narrow form's {@code kept} parameters of a row {@link #fitsNarrow fitting} it. */
    public void bindNarrow(PreparedStatement ps, T row, SqlDialect dialect) throws SQLException {
        narrowBinder.bind(ps, row, dialect);
    }

    public Object keyOf(T row) {
        return keyOf.key(row);
    }
}
