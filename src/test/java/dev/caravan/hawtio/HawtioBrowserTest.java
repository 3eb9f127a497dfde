package dev.caravan.hawtio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.caravan.server.ServerSettings;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.TestingChromium;
import dev.caravan.testing.TestingServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Hawtio console in a real browser (headless Chromium): log in with an API token, open the Camel routes view and
 * find the routes of a connection (screenshot: target/hawtio-routes.png), then start a sync from the connection's MBean
 * (target/hawtio-sync-now.png). On failure the page is kept as target/hawtio-failure.png and .html. A page of another
 * origin cannot use the console's session.
 */
class HawtioBrowserTest {
    private static final String ADMIN_TOKEN = "cvn_browser-test-admin-token-0123456789";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path home;

    @Test
    void anAdminSeesTheRoutesOfAConnectionAndStartsASync() throws IOException {
        Map<String, String> settings = Map.of(ServerSettings.AUTH_ENABLED, "true", ServerSettings.HAWTIO_ENABLED, "true",
                ServerSettings.AUTH_INITIAL_ADMIN_TOKEN, ADMIN_TOKEN);
        try (TestingServer server = new TestingServer(home, settings); TestingChromium chromium = new TestingChromium()) {
            HttpJson api = new HttpJson(server.apiUrl()).withToken(ADMIN_TOKEN);
            String lake = home.resolve("lake").toString().replace("\\", "/");
            assertThat(api.postYaml("/apply", """
                    sources: [{name: fake, connector: faker, config: {count: 200}}]
                    destinations: [{name: lake, connector: local, config: {path: %s}}]
                    connections: [{name: browse, source: fake, destination: lake, streams: [{name: users}, {name: products}]}]
                    """.formatted(lake)).status()).isEqualTo(200);
            assertThat(api.post("/connections/sync", "{\"connection\":\"browse\",\"wait\":true}").json().get("status").asText()).isEqualTo("succeeded");
            WebDriver browser = chromium.driver();
            WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
            try {
                logIn(browser, wait, server.baseUrl());
                findTheRoutes(browser, wait);
                snap(chromium, "routes");
                startASync(browser, wait, server.baseUrl(), api);
                snap(chromium, "sync-now");
            } catch (RuntimeException | AssertionError e) {
                snap(chromium, "failure");
                Files.writeString(Path.of("target/hawtio-failure.html"), browser.getPageSource());
                throw e;
            }
        }
    }

    /**
     * A page of another origin on the same host (so the browser sends the console's session cookie along) tries Jolokia
     * with the admin's session: the browser lets it read nothing, and the server runs nothing.
     */
    @Test
    void aPageOfAnotherOriginCannotUseTheConsolesSession() throws IOException {
        Map<String, String> settings = Map.of(ServerSettings.AUTH_ENABLED, "true", ServerSettings.HAWTIO_ENABLED, "true",
                ServerSettings.AUTH_INITIAL_ADMIN_TOKEN, ADMIN_TOKEN);
        HttpServer evil = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        evil.createContext("/", exchange -> {
            byte[] page = "<html><body>another site</body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        evil.start();
        try (TestingServer server = new TestingServer(home, settings); TestingChromium chromium = new TestingChromium()) {
            HttpJson api = new HttpJson(server.apiUrl()).withToken(ADMIN_TOKEN);
            assertThat(api.postYaml("/apply", """
                    sources: [{name: fake, connector: faker, config: {count: 5}}]
                    destinations: [{name: lake, connector: local, config: {path: %s}}]
                    connections: [{name: guarded, source: fake, destination: lake, streams: [{name: users}]}]
                    """.formatted(home.resolve("lake").toString().replace("\\", "/"))).status()).isEqualTo(200);
            String jolokia = server.baseUrl() + "/hawtio/jolokia";
            String exec = "{\"type\":\"exec\",\"mbean\":\"dev.caravan:type=Connection,name=\\\"guarded\\\"\",\"operation\":\"syncNow()\"}";
            String read = "{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\"}";
            ChromeDriver browser = chromium.driver();
            browser.get(server.baseUrl() + "/hawtio/login");
            assertThat(fetch(browser, server.baseUrl() + "/hawtio/auth/login", "{\"username\":\"admin\",\"password\":\"" + ADMIN_TOKEN + "\"}"))
                    .startsWith("200");
            assertThat(fetch(browser, jolokia, read)).as("the session works on the console's own origin").startsWith("200").contains("\"status\":200");

            browser.get("http://127.0.0.1:" + evil.getAddress().getPort() + "/");
            assertThat(fetch(browser, jolokia, read)).as("reading from another origin").startsWith("blocked");
            assertThat(fetch(browser, jolokia, exec)).as("running an operation from another origin").startsWith("blocked");
            assertThat(api.get("/jobs?connection=guarded").json().get("jobs")).as("no sync was started").isEmpty();
        } finally {
            evil.stop(0);
        }
    }

    /** POSTs {@code body} from the current page with the browser's cookies: "status body", or "blocked ..." when the browser refuses. */
    private static String fetch(ChromeDriver browser, String url, String body) {
        return (String) browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0], {method: 'POST', credentials: 'include', body: arguments[1]})
                    .then(r => r.text().then(t => done(r.status + ' ' + t)))
                    .catch(e => done('blocked ' + e));
                """, url, body);
    }

    private static void logIn(WebDriver browser, WebDriverWait wait, String baseUrl) {
        browser.get(baseUrl + "/hawtio/");
        WebElement password = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("input[type=password]")));
        browser.findElement(By.cssSelector("input[name=username], input#pf-login-username-id")).sendKeys("admin");
        password.sendKeys(ADMIN_TOKEN);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
    }

    /** The console opens on Camel; the route tree has a group per connection, the routes folder lists every route with statistics. */
    private static void findTheRoutes(WebDriver browser, WebDriverWait wait) {
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.xpath("//li[contains(@id,'folder-routes-folder-browse-folder')]//button[normalize-space()='browse']")));
        By routesFolder = By.xpath("//li[@id='org.apache.camel-folder-CamelContexts-folder-caravan-folder-routes-folder']/div"
                + "//button[normalize-space()='routes']");
        wait.until(ExpectedConditions.elementToBeClickable(routesFolder)).click();
        WebElement row = null;
        for (String route : new String[] {"browse.products", "browse.users"}) {
            row = wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath("//td[normalize-space()='" + route + "']")));
        }
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", row);
    }

    /** JMX → dev.caravan → Connection → browse → Operations → syncNow() → Execute; the job must then succeed. */
    private static void startASync(WebDriver browser, WebDriverWait wait, String baseUrl, HttpJson api) {
        browser.get(baseUrl + "/hawtio/jmx");
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[contains(@class,'tree-view__node-text') and normalize-space()='dev.caravan']")));
        browser.findElement(By.xpath("//button[normalize-space()='Expand all']")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//li[@id='dev.caravan-folder-Connection-folder-browse']"
                + "//button[normalize-space()='browse']"))).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//a[@href='/hawtio/jmx/operations']"))).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//li[@aria-labelledby='operation syncNow()']")))
                .findElement(By.xpath(".//button[@aria-label='Details']")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//section[@id='operation-execute-syncNow()']//button[normalize-space()='Execute']")))
                .click();
        long deadline = System.currentTimeMillis() + PATIENCE.toMillis();
        JsonNode newest;
        do {
            assertThat(System.currentTimeMillis()).as("the job started from Hawtio ends in time").isLessThan(deadline);
            newest = api.get("/jobs?connection=browse&limit=1").json().at("/jobs/0");
        } while (!(newest.get("trigger").asText().equals("jmx") && newest.get("status").asText().equals("succeeded")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath("//*[normalize-space()='Result']")));
    }

    private static void snap(TestingChromium chromium, String name) throws IOException {
        Path shot = chromium.driver().getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target/hawtio-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
