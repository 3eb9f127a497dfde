package dev.caravan.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.server.ServerSettings;
import dev.caravan.testing.TestingChromium;
import dev.caravan.testing.TestingPostgres;
import dev.caravan.testing.TestingServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in headless Chromium, as a new user walks it, in one browser session: sign in with the admin token, create a
 * PostgreSQL source with wrong credentials (the test's error is shown), fix it (check and discover succeed), create a
 * local destination, walk the new-connection wizard (discover, stream, sync mode, cursor, key, cron preview), save and
 * run the first sync, see the history whose record count equals the table's, reset one stream, create a viewer token in
 * Settings, sign in as the viewer and find no write control. Screenshots of each page: target/ui-screenshots/.
 */
class UiBrowserTest {
    private static final String ADMIN_TOKEN = "cvn_ui-browser-test-admin-token-0123456789";
    private static final Path SHOTS = Path.of("target/ui-screenshots");
    private static final int ROWS = 200_000;

    @TempDir
    Path home;

    @Test
    void aNewUserSetsUpAConnectionSyncsItAndAViewerCannotChangeIt() throws Exception {
        Files.createDirectories(SHOTS);
        try (TestingPostgres pg = new TestingPostgres();
             TestingServer server = new TestingServer(home, Map.of(ServerSettings.AUTH_ENABLED, "true",
                     ServerSettings.AUTH_INITIAL_ADMIN_TOKEN, ADMIN_TOKEN, ServerSettings.SYNC_MAX_ATTEMPTS, "1"));
             TestingChromium chromium = new TestingChromium()) {
            try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE items (id bigint PRIMARY KEY, name text, updated_at timestamptz NOT NULL)");
                s.execute("INSERT INTO items SELECT g, 'item ' || g, timestamptz '2024-01-01' + g * interval '1 second' FROM generate_series(1, " + ROWS + ") g");
            }
            URI db = URI.create(pg.jdbcUrl().substring("jdbc:".length()));
            ChromeDriver browser = chromium.driver();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            try {
                browser.get(server.baseUrl() + "/");
                type(wait, "token", ADMIN_TOKEN);
                snap(browser, "01-sign-in");
                click(browser, browser.findElement(By.cssSelector("#signin button[type=submit]")));
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Connections"));
                snap(browser, "02-connections-empty");

                // a PostgreSQL source with a user that does not exist: saved, and its test fails in words
                browser.get(server.baseUrl() + "/#/sources/new");
                new Select(wait.until(ExpectedConditions.elementToBeClickable(By.id("def-connector")))).selectByValue("postgres");
                wait.until(ExpectedConditions.presenceOfElementLocated(By.id("cfg-host")));
                type(wait, "def-name", "shop");
                type(wait, "cfg-host", db.getHost());
                type(wait, "cfg-port", String.valueOf(db.getPort()));
                type(wait, "cfg-database", db.getPath().substring(1));
                type(wait, "cfg-username", "nobody_here");
                type(wait, "cfg-password", "wrong-password");
                click(browser, browser.findElement(By.cssSelector("#def button[type=submit]")));
                WebElement failed = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#out .alert-danger")));
                assertThat(failed.getText()).contains("Test failed");
                snap(browser, "03-source-test-failed");
                assertThat(browser.findElement(By.id("cfg-password")).getAttribute("value")).as("the secret is not sent back").isEmpty();

                // fixed: test and discover succeed
                WebElement user = browser.findElement(By.id("cfg-username"));
                user.clear();
                user.sendKeys(pg.user());
                click(browser, browser.findElement(By.cssSelector("#def button[type=submit]")));
                WebElement ok = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#out .alert-success")));
                assertThat(ok.getText()).contains("Connection test succeeded", "public.items");
                snap(browser, "04-source-test-succeeded");

                browser.get(server.baseUrl() + "/#/destinations/new");
                new Select(wait.until(ExpectedConditions.elementToBeClickable(By.id("def-connector")))).selectByValue("local");
                wait.until(ExpectedConditions.presenceOfElementLocated(By.id("cfg-path")));
                type(wait, "def-name", "lake");
                type(wait, "cfg-path", home.resolve("lake").toString());
                click(browser, browser.findElement(By.cssSelector("#def button[type=submit]")));
                assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#out .alert-success"))).getText())
                        .contains("Connection test succeeded");
                snap(browser, "05-destination");

                // the wizard
                browser.get(server.baseUrl() + "/#/new-connection");
                click(browser, wait.until(ExpectedConditions.elementToBeClickable(By.id("discover"))));
                WebElement stream = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".stream")));
                assertThat(stream.getText()).contains("public.items");
                new Select(stream.findElement(By.cssSelector(".mode"))).selectByValue("incremental_append");
                new Select(stream.findElement(By.cssSelector(".cursor"))).selectByVisibleText("updated_at");
                assertThat(stream.findElement(By.cssSelector(".pk")).getAttribute("value")).as("key pre-filled from discover").isEqualTo("id");
                WebElement name = browser.findElement(By.id("w-name"));
                name.clear();
                name.sendKeys("shop-items");
                new Select(browser.findElement(By.id("w-sched"))).selectByValue("cron");
                WebElement cron = browser.findElement(By.id("w-cron"));
                cron.clear();
                cron.sendKeys("0 0/15 * * * ?");
                assertThat(browser.findElement(By.id("w-cron-text")).getText()).startsWith("Every 15 minutes");
                snap(browser, "06-wizard");
                click(browser, browser.findElement(By.cssSelector("#wiz button[type=submit]")));

                // the first sync runs; its history row shows the table's row count
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "shop-items"));
                WebElement progress = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("progress-section")));
                assertThat(progress.getText()).as("live progress pushed by Server-Sent Events").contains("records/s");
                snap(browser, "07-connection-running");
                WebElement records = wait.until(ExpectedConditions.presenceOfElementLocated(
                        By.xpath("//table[@id='history']//tr[td/span[normalize-space()='succeeded']]/td[@class='records']")));
                long tableRows;
                try (Connection c = pg.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM items")) {
                    rs.next();
                    tableRows = rs.getLong(1);
                }
                assertThat(records.getText().replace(",", "")).isEqualTo(String.valueOf(tableRows));
                assertThat(browser.findElement(By.cssSelector("svg.chart")).getAttribute("aria-label")).contains(tableRows + " records");
                snap(browser, "08-connection-history");
                String log = (String) browser.executeAsyncScript("""
                        const done = arguments[arguments.length - 1];
                        fetch(document.querySelector('#history a[download]').href).then(r => r.text()).then(done, e => done('failed ' + e));
                        """);
                assertThat(log).as("the job's log, read with the session cookie").contains("[attempt 1]", "of shop-items succeeded: " + tableRows + " records");

                click(browser, wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='Reset public.items']"))));
                assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#out .alert-success"))).getText())
                        .contains("Reset: public.items");
                assertThat(server.server().states().load("shop-items", "public.items").map(st -> st.state()).orElse(Map.of()))
                        .as("the stream's cursor state is cleared").isEmpty();
                click(browser, wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='Sync public.items']"))));
                assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#out .alert-success"))).getText())
                        .contains("stream public.items only");
                dev.caravan.testing.Await.until("the one-stream job ended", () -> server.server().jobs("shop-items", 1).get(0).endedAt() != null);
                dev.caravan.state.JobRecord oneStream = server.server().jobs("shop-items", 1).get(0);
                assertThat(oneStream.streams()).extracting(dev.caravan.state.JobStreamRecord::stream).containsOnly("public.items");
                assertThat(oneStream.records()).as("after the reset the stream is read again in full").isEqualTo(tableRows);

                // edit: the wizard again, pre-filled; the schedule becomes manual, the rest (stream, cursor, key) stays
                click(browser, wait.until(ExpectedConditions.elementToBeClickable(By.linkText("Edit"))));
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("streams-step")));
                assertThat(new Select(browser.findElement(By.id("m0"))).getFirstSelectedOption().getAttribute("value")).isEqualTo("incremental_append");
                assertThat(browser.findElement(By.id("k0")).getAttribute("value")).isEqualTo("id");
                snap(browser, "09a-edit-connection");
                new Select(browser.findElement(By.id("w-sched"))).selectByValue("manual");
                click(browser, browser.findElement(By.xpath("//button[normalize-space()='Save changes']")));
                assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#out .alert-success"))).getText()).contains("Saved shop-items");
                dev.caravan.config.ConnectionConfig edited = server.server().configs().connection("shop-items").orElseThrow();
                assertThat(edited.schedule()).isEqualTo(dev.caravan.config.Schedule.MANUAL);
                assertThat(edited.streams()).singleElement().satisfies(st -> {
                    assertThat(st.cursorField()).isEqualTo("updated_at");
                    assertThat(st.primaryKey()).containsExactly("id");
                });
                browser.manage().window().setSize(new Dimension(390, 844));
                snap(browser, "09-connection-390px");
                browser.manage().window().setSize(new Dimension(1280, 900));

                browser.get(server.baseUrl() + "/#/catalog");
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "postgres"));
                snap(browser, "10-catalog");

                browser.get(server.baseUrl() + "/#/settings");
                type(wait, "t-name", "reader");
                click(browser, browser.findElement(By.cssSelector("#newtoken button[type=submit]")));
                String viewerToken = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("secret"))).getAttribute("value");
                snap(browser, "11-settings-token-created");

                // the viewer sees everything and no write control
                click(browser, browser.findElement(By.id("signout")));
                type(wait, "token", viewerToken + Keys.ENTER); // the keyboard alone signs in
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Connections"));
                assertThat(browser.findElements(By.linkText("New connection"))).isEmpty();
                browser.get(server.baseUrl() + "/#/connections/shop-items");
                wait.until(ExpectedConditions.presenceOfElementLocated(By.id("history")));
                for (String control : List.of("Sync now", "Disable", "Reset all streams", "Sync public.items", "Reset public.items")) {
                    assertThat(browser.findElements(By.xpath("//button[normalize-space()='" + control + "']"))).as(control).isEmpty();
                }
                assertThat(browser.findElements(By.linkText("Settings"))).isEmpty();
                snap(browser, "12-viewer-connection");
                browser.get(server.baseUrl() + "/#/sources/shop");
                wait.until(ExpectedConditions.presenceOfElementLocated(By.id("cfg-host")));
                assertThat(browser.findElements(By.cssSelector("#def button"))).as("no save, test or delete for a viewer").isEmpty();

                // the admin again: a source in use cannot be deleted; the connection can, and then the source
                click(browser, browser.findElement(By.id("signout")));
                type(wait, "token", ADMIN_TOKEN + Keys.ENTER);
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Connections"));
                browser.executeScript("window.confirm = () => true");
                browser.get(server.baseUrl() + "/#/sources/shop");
                click(browser, wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='Delete source']"))));
                assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#out .alert-danger"))).getText())
                        .contains("shop-items");
                browser.get(server.baseUrl() + "/#/connections/shop-items");
                click(browser, wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='Delete connection']"))));
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Connections"));
                assertThat(server.server().controlPlane().list(dev.caravan.state.StoredDefinition.Kind.CONNECTION)).isEmpty();
                browser.get(server.baseUrl() + "/#/sources/shop");
                click(browser, wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='Delete source']"))));
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Sources"));
                assertThat(browser.findElements(By.linkText("shop"))).isEmpty();
            } catch (RuntimeException | AssertionError e) {
                snap(browser, "failure");
                Files.writeString(SHOTS.resolve("failure.html"), browser.getPageSource());
                throw e;
            }
        }
    }

    /** Clicks through the DOM: headless Chromium's window is shorter than its size, so a button below the fold is "covered". */
    private static void click(ChromeDriver browser, WebElement element) {
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()", element);
    }

    private static void type(WebDriverWait wait, String id, String text) {
        WebElement field = wait.until(ExpectedConditions.elementToBeClickable(By.id(id)));
        field.clear();
        field.sendKeys(text);
    }

    /** Every page is checked when it is shot: each form control has a label (or an aria-label). */
    private static void snap(ChromeDriver browser, String name) throws IOException {
        Object unlabelled = browser.executeScript("return [...document.querySelectorAll('input, select, textarea')]"
                + ".filter(e => e.type !== 'hidden' && !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.outerHTML)");
        assertThat((List<?>) unlabelled).as("controls without a label on " + name).isEmpty();
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
