package dev.caravan.state;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Creates the tables of Quartz's clustered JDBC job store (cluster mode) on a PostgreSQL metadata store, from the DDL
 * Quartz ships in its own jar for the Quartz version on the classpath. Other databases (the embedded H2 store) get none:
 * cluster mode needs PostgreSQL.
 */
final class QuartzTablesMigration implements JavaMigration {
    static final String SCRIPT = "org/quartz/impl/jdbcjobstore/tables_postgres.sql";

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("10.1");
    }

    @Override
    public String getDescription() {
        return "cluster quartz job store tables";
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        if (!connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres")) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements(script())) {
                statement.execute(sql);
            }
        }
    }

    /** The CREATE statements of the script: comments, DROPs of tables that cannot exist yet and its COMMIT left out. */
    static List<String> statements(String script) {
        StringBuilder text = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                text.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String part : text.toString().split(";")) {
            String sql = part.strip();
            if (sql.toUpperCase(Locale.ROOT).startsWith("CREATE")) {
                statements.add(sql);
            }
        }
        return statements;
    }

    private static String script() throws IOException {
        try (InputStream in = QuartzTablesMigration.class.getClassLoader().getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IOException(SCRIPT + " is missing from the classpath (the Quartz jar)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
