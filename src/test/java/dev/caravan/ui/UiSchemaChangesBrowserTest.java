package dev.caravan.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.server.ServerSettings;
import dev.caravan.state.JobStatus;
import dev.caravan.testing.TestingChromium;
import dev.caravan.testing.TestingPostgres;
import dev.caravan.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The connection page lists the source schema changes of its recent jobs and, while a change stops a stream (here: a
 * connection with schema_changes: pause), offers to accept them; accepting lets the next sync run. Headless Chromium.
 */
class UiSchemaChangesBrowserTest {
    private static final String ADMIN_TOKEN = "cvn_ui-schema-test-admin-token-0123456789";
    private static final Path SHOTS = Path.of("target/ui-screenshots");

    @TempDir
    Path home;

    @Test
    void theConnectionPageListsSchemaChangesAndAcceptsThem() throws Exception {
        Files.createDirectories(SHOTS);
        try (TestingPostgres pg = new TestingPostgres();
             TestingServer server = new TestingServer(home, Map.of(ServerSettings.AUTH_ENABLED, "true",
                     ServerSettings.AUTH_INITIAL_ADMIN_TOKEN, ADMIN_TOKEN, ServerSettings.SYNC_MAX_ATTEMPTS, "1"));
             TestingChromium chromium = new TestingChromium()) {
            sql(pg, "CREATE TABLE items (id int PRIMARY KEY, name text)", "INSERT INTO items VALUES (1, 'a'), (2, 'b')");
            server.server().apply("""
                    sources: [{name: shop, connector: postgres, config: {host: 127.0.0.1, port: %d, database: %s, username: postgres}}]
                    destinations: [{name: lake, connector: local, config: {path: "%s"}}]
                    connections:
                      - {name: items, source: shop, destination: lake, schema_changes: pause, streams: [{name: public.items, sync_mode: full_refresh_append}]}
                    """.formatted(pg.port(), pg.database(), home.resolve("lake")), "ui.yaml");
            assertThat(server.server().syncNow("items").orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
            sql(pg, "ALTER TABLE items ADD COLUMN color text");
            assertThat(server.server().syncNow("items").orElseThrow().status()).isEqualTo(JobStatus.FAILED);

            ChromeDriver browser = chromium.driver();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            try {
                browser.get(server.baseUrl() + "/");
                WebElement token = wait.until(ExpectedConditions.elementToBeClickable(By.id("token")));
                token.sendKeys(ADMIN_TOKEN + Keys.ENTER);
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Connections"));
                browser.get(server.baseUrl() + "/#/connections/items");
                WebElement table = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("schema-changes")));
                assertThat(table.getText()).contains("public.items", "column added", "color", "paused", "not applied: the connection is paused");
                assertThat(browser.findElement(By.tagName("main")).getText()).contains("Policy: pause");
                Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SHOTS.resolve("20-schema-changes.png"), StandardCopyOption.REPLACE_EXISTING);

                browser.executeScript("window.confirm = () => true");
                WebElement accept = browser.findElement(By.id("accept-schema"));
                browser.executeScript("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()", accept);
                assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#out .alert-success"))).getText())
                        .contains("Accepted the schema of: public.items");
            } catch (RuntimeException | AssertionError e) {
                Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SHOTS.resolve("schema-failure.png"), StandardCopyOption.REPLACE_EXISTING);
                throw e;
            }
            assertThat(server.server().states().schema("items", "public.items")).as("the baseline is forgotten").isEmpty();
        }
    }

    private static void sql(TestingPostgres pg, String... statements) throws Exception {
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
