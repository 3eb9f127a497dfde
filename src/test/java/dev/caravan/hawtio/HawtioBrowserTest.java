package dev.caravan.hawtio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.server.ServerSettings;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.TestingChromium;
import dev.caravan.testing.TestingServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Hawtio console in a real browser (headless Chromium): log in with an API token, open the Camel routes view and
 * find the routes of a connection. The screenshot is kept as target/hawtio-routes.png.
 */
class HawtioBrowserTest {
    private static final String ADMIN_TOKEN = "cvn_browser-test-admin-token-0123456789";

    @TempDir
    Path home;

    @Test
    void anAdminLogsInAndSeesTheRoutesOfAConnection() throws IOException {
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

            try {
                browse(server, chromium);
            } catch (RuntimeException | AssertionError e) {
                snap(chromium, "failure");
                Files.writeString(Path.of("target/hawtio-failure.html"), chromium.driver().getPageSource());
                throw e;
            }
        }
    }

    private static void browse(TestingServer server, TestingChromium chromium) throws IOException {
        {
            WebDriver browser = chromium.driver();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            browser.get(server.baseUrl() + "/hawtio/");
            snap(chromium, "login");
            WebElement password = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("input[type=password]")));
            browser.findElement(By.cssSelector("input[name=username], input#pf-login-username-id")).sendKeys("admin");
            password.sendKeys(ADMIN_TOKEN);
            browser.findElement(By.cssSelector("button[type=submit]")).click();

            // The console opens on Camel. The route tree groups routes by route group: one group per connection.
            By group = By.xpath("//li[contains(@id,'folder-routes-folder-browse-folder')]//button[normalize-space()='browse']");
            wait.until(ExpectedConditions.presenceOfElementLocated(group));
            // The routes view: every route of the context with its state and statistics.
            By routesFolder = By.xpath("//li[@id='org.apache.camel-folder-CamelContexts-folder-caravan-folder-routes-folder']/div"
                    + "//button[normalize-space()='routes']");
            wait.until(ExpectedConditions.elementToBeClickable(routesFolder)).click();
            WebElement lastRow = null;
            for (String route : new String[] {"browse.products", "browse.users"}) {
                lastRow = wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath("//td[normalize-space()='" + route + "']")));
            }
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", lastRow);
            snap(chromium, "routes");
            Files.writeString(Path.of("target/hawtio-routes.html"), browser.getPageSource());
        }
    }

    private static void snap(TestingChromium chromium, String name) throws IOException {
        Path shot = chromium.driver().getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target/hawtio-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
