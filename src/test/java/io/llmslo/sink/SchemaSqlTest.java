package io.llmslo.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/schema.sql} (mounted into the compose stack's PostgreSQL, read by Grafana users) is
 * exactly the DDL the job runs. Regenerate after a schema change with
 * {@code mvn -q test -Dtest=SchemaSqlTest -Dschema.write=true}.
 */
class SchemaSqlTest {

    static final Path FILE = Path.of("docs/schema.sql");

    static String generated() {
        StringBuilder sb = new StringBuilder();
        sb.append("-- llm-slo output tables (DESIGN §7). Generated from io.llmslo.sink.TableSchemas;\n")
                .append("-- do not edit: regenerate with mvn -q test -Dtest=SchemaSqlTest -Dschema.write=true\n");
        for (TableSpec<?> t : TableSchemas.all()) {
            sb.append('\n').append(t.ddl()).append(";\n");
        }
        return sb.toString();
    }

    @Test
    void schemaFileEqualsTheDdlOfEveryTable() throws Exception {
        if (Boolean.getBoolean("schema.write")) {
            Files.writeString(FILE, generated(), StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(FILE, StandardCharsets.UTF_8)).isEqualTo(generated());
    }
}
