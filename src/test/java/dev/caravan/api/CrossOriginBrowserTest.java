package dev.caravan.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.caravan.testing.Await;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.LogCapture;
import dev.caravan.testing.TestingChromium;
import dev.caravan.testing.TestingServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A page served from another origin, in headless Chromium, against a server with authentication off (the default):
 * HTML forms (text/plain, urlencoded, multipart) and fetch() calls (no-cors, and JSON, which needs a preflight) try to
 * create a source and start a sync. The browser does send them — the server logs each refusal — and nothing happens.
 */
class CrossOriginBrowserTest {

    private static final String SOURCE = "{\"name\":\"evil-%s\",\"connector\":\"faker\",\"config\":{\"count\":5}}";

    private static String page(String api) {
        String forms = """
                <iframe name="sink" style="display:none"></iframe>
                <form id="plain" method="POST" enctype="text/plain" target="sink" action="%1$s/sources">
                  <input name='{"name":"evil-plain","connector":"faker","config":{"count":5},"x":"' value='"}'>
                </form>
                <form id="urlencoded" method="POST" target="sink" action="%1$s/sources"><input name="name" value="evil-form"></form>
                <form id="multipart" method="POST" enctype="multipart/form-data" target="sink" action="%1$s/connections/sync">
                  <input name="connection" value="victim">
                </form>
                <form id="bodiless" method="POST" target="sink" action="%1$s/connections/victim/disable"></form>
                """.formatted(api);
        return "<html><body>" + forms + """
                <script>
                  window.results = [];
                  async function attack() {
                    for (const id of ['plain', 'urlencoded', 'multipart', 'bodiless']) {
                      document.getElementById(id).submit();
                      await new Promise(r => setTimeout(r, 300));
                    }
                    const tries = [
                      ['%1$s/sources', {method: 'POST', mode: 'no-cors', headers: {'Content-Type': 'text/plain'}, body: '%2$s'}],
                      ['%1$s/connections/sync', {method: 'POST', mode: 'no-cors', body: '{"connection":"victim"}'}],
                      ['%1$s/sources', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '%3$s'}],
                    ];
                    for (const [url, options] of tries) {
                      try { const r = await fetch(url, options); window.results.push('sent ' + r.type + ' ' + r.status); }
                      catch (e) { window.results.push('blocked ' + e); }
                    }
                    window.done = true;
                  }
                  attack();
                </script></body></html>
                """.formatted(api, SOURCE.formatted("nocors").replace("\"", "\\\""), SOURCE.formatted("json").replace("\"", "\\\""));
    }

    @Test
    void formsAndFetchesFromAnotherOriginChangeNothing(@TempDir Path home) throws Exception {
        try (TestingServer server = new TestingServer(home); LogCapture log = new LogCapture(); TestingChromium chromium = new TestingChromium()) {
            server.server().apply("""
                    sources: [{name: src, connector: faker, config: {count: 5}}]
                    destinations: [{name: lake, connector: local, config: {path: "%s"}}]
                    connections: [{name: victim, source: src, destination: lake, schedule: {every: 1d}, streams: [{name: users}]}]
                    """.formatted(home.resolve("lake")), "setup.yaml");
            byte[] html = page(server.apiUrl()).getBytes(StandardCharsets.UTF_8);
            HttpServer evil = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            evil.createContext("/", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "text/html");
                exchange.sendResponseHeaders(200, html.length);
                exchange.getResponseBody().write(html);
                exchange.close();
            });
            evil.start();
            try {
                ChromeDriver browser = chromium.driver();
                browser.get("http://127.0.0.1:" + evil.getAddress().getPort() + "/");
                Await.until("the page has tried everything", () -> Boolean.TRUE.equals(browser.executeScript("return window.done === true")));
                Object results = browser.executeScript("return window.results");
                assertThat(results.toString()).as("the JSON fetch needs a preflight the server does not grant").contains("blocked");
                Await.until("the server refused the form posts and no-cors fetches", () -> log.text().split("Refused POST", -1).length - 1 >= 6);
            } finally {
                evil.stop(0);
            }
            HttpJson api = new HttpJson(server.apiUrl());
            assertThat(api.get("/sources").json().get("sources")).as("no source created").singleElement()
                    .satisfies(s -> assertThat(s.get("name").asText()).isEqualTo("src"));
            assertThat(api.get("/jobs").json().get("jobs")).as("no sync started").isEmpty();
            assertThat(api.get("/connections/victim").json().get("enabled").asBoolean()).as("not disabled").isTrue();
        }
    }
}
