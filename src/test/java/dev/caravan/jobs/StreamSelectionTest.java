package dev.caravan.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.cli.CliRun;
import dev.caravan.jmx.ConnectionMBeans;
import dev.caravan.server.ServerSettings;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.state.JobStreamRecord;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.management.RuntimeMBeanException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Syncing chosen streams of a connection through the API, JMX and the CLI; the history names the streams that ran. */
class StreamSelectionTest {

    private static List<String> streamsOf(JobRecord job) {
        return job.streams().stream().map(JobStreamRecord::stream).distinct().sorted().toList();
    }

    @Test
    void onlyTheChosenStreamsRunAndUnknownNamesAreRefused(@TempDir Path home) throws Exception {
        Path lake = home.resolve("lake");
        try (TestingServer server = new TestingServer(home, Map.of(ServerSettings.SYNC_ON_OVERLAP, "queue"));
                ParquetQuery duck = new ParquetQuery()) {
            server.server().apply("""
                    sources: [{name: f, connector: faker, config: {count: 300000}}]
                    destinations: [{name: lake, connector: local, config: {path: "%s"}}]
                    connections:
                      - name: shop
                        source: f
                        destination: lake
                        streams:
                          - {name: users, sync_mode: incremental_append, cursor_field: updated_at}
                          - {name: purchases, sync_mode: incremental_append, cursor_field: updated_at}
                          - {name: products}
                    """.formatted(lake), "shop.yaml");
            HttpJson api = new HttpJson(server.apiUrl());

            HttpJson.Response unknown = api.post("/connections/sync", "{\"connection\":\"shop\",\"streams\":[\"users\",\"orders\"]}");
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.text()).contains("orders").contains("products, purchases, users");
            assertThat(server.server().jobs("shop", 10)).as("a refused request records no job").isEmpty();

            // A long job of all streams runs; a request for 'products' alone waits behind it and then runs only that stream.
            long all = api.post("/connections/sync", "{\"connection\":\"shop\"}").json().get("id").asLong();
            HttpJson.Response queued = api.post("/connections/sync", "{\"connection\":\"shop\",\"streams\":[\"products\"]}");
            assertThat(queued.json().get("status").asText()).isEqualTo("queued");
            long productsOnly = queued.json().get("id").asLong();
            JobRecord first = awaitEnd(server, all);
            JobRecord second = awaitEnd(server, productsOnly);
            assertThat(first.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(streamsOf(first)).containsExactly("products", "purchases", "users");
            assertThat(second.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(streamsOf(second)).as("the queued job kept its choice").containsExactly("products");
            assertThat(api.get("/jobs/" + productsOnly).json().get("streams")).hasSize(1);

            // JMX: a comma-separated list; an unknown name is an IllegalArgumentException a JMX client can show.
            MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
            ObjectName mbean = ConnectionMBeans.name("shop");
            long viaJmx = (Long) mbeans.invoke(mbean, "syncStreams", new Object[] {"users"}, new String[] {String.class.getName()});
            assertThat(streamsOf(awaitEnd(server, viaJmx))).containsExactly("users");
            assertThatThrownBy(() -> mbeans.invoke(mbean, "syncStreams", new Object[] {"nope"}, new String[] {String.class.getName()}))
                    .isInstanceOf(RuntimeMBeanException.class).cause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");

            // CLI: --streams, and the job it prints has only that stream.
            CliRun cli = CliRun.of("sync", "shop", "--streams", "purchases", "--wait", "--server", server.apiUrl());
            assertThat(cli.exit()).as(cli.err()).isZero();
            JobRecord viaCli = server.server().jobs("shop", 1).get(0);
            assertThat(streamsOf(viaCli)).containsExactly("purchases");
            assertThat(cli.out()).contains("purchases").doesNotContain("users ");

            // users ran twice (all, then JMX) and read nothing new the second time: no duplicate in the output
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(lake.resolve("raw/users"))))
                    .isEqualTo(duck.count("SELECT count(DISTINCT id) FROM " + ParquetQuery.files(lake.resolve("raw/users"))));
        }
    }

    private static JobRecord awaitEnd(TestingServer server, long id) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            JobRecord job = server.server().jobs("shop", 20).stream().filter(j -> j.id() == id).findFirst().orElseThrow();
            if (job.endedAt() != null && job.status() != JobStatus.QUEUED) {
                return job;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + id + " did not end");
    }
}
