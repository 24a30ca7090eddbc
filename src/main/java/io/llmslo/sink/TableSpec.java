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

    public TableSpec(String name, List<Column> columns, List<String> primaryKey, Binder<T> binder,
            KeyOf<T> keyOf) {
        this.name = name;
        this.columns = List.copyOf(columns);
        this.primaryKey = List.copyOf(primaryKey);
        this.binder = binder;
        this.keyOf = keyOf;
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
        String names = columns.stream().map(Column::name).collect(Collectors.joining(", "));
        String marks = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
        String updates = columns.stream()
                .filter(c -> !primaryKey.contains(c.name()))
                .map(c -> c.name() + " = " + (c.update() == null ? "excluded." + c.name() : c.update()))
                .collect(Collectors.joining(", "));
        return "INSERT INTO " + name + " (" + names + ") VALUES (" + marks + ") ON CONFLICT ("
                + String.join(", ", primaryKey) + ") DO UPDATE SET " + updates;
    }

    public void bind(PreparedStatement ps, T row, SqlDialect dialect) throws SQLException {
        binder.bind(ps, row, dialect);
    }

    public Object keyOf(T row) {
        return keyOf.key(row);
    }
}
