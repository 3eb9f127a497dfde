package dev.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.source.http.HttpSource;
import dev.caravan.source.http.ManifestTestRead;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConnectorConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code caravan connector test <manifest> --config c.json --stream S --limit 10}: a test read of one stream of an HTTP
 * manifest, run here (no server): prints each request made (secrets masked) and the records read as JSON lines.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Test-read a stream of an HTTP API manifest: print the requests made (secrets masked) and the first records.")
final class ConnectorTestCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", description = "The YAML manifest (docs/connectors/http.md).")
    Path manifest;

    @Option(names = "--config", description = "JSON file with the http source's options (api_key, token, account, base_url, ...).")
    Path config;

    @Option(names = "--stream", required = true, description = "The stream to read.")
    String stream;

    @Option(names = "--limit", defaultValue = "10", description = "Records to read, 1 to 1000 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        if (config != null) {
            JsonNode node = JSON.readTree(config.toFile());
            if (node == null || !node.isObject()) {
                System.err.println("caravan: " + config + " must hold a JSON object of the http source's options");
                return 2;
            }
            values.putAll(JSON.convertValue(node, Map.class));
        }
        values.put("manifest", manifest.toString());
        ConnectorConfig validated;
        try {
            validated = HttpSource.SPEC.validate(values, "");
        } catch (ConfigException e) {
            System.err.println("caravan: " + e.getMessage());
            return 2;
        }
        ManifestTestRead.Result result = ManifestTestRead.run(validated, stream, limit);
        for (ManifestTestRead.Request r : result.requests()) {
            System.out.println("> " + r.method() + " " + r.url());
            r.headers().forEach((k, v) -> System.out.println(">   " + k + ": " + v));
            if (r.body() != null) {
                System.out.println(">   " + r.body());
            }
            System.out.println("< " + (r.status() == 0 ? "failed: " + r.error() : Integer.toString(r.status())) + " (" + r.millis() + " ms)");
        }
        System.out.println(result.records().size() + " record(s) of " + stream + (result.fields().isEmpty() ? "" : " " + result.fields()) + ":");
        for (Map<String, Object> record : result.records()) {
            System.out.println(JSON.writeValueAsString(record));
        }
        if (result.error() != null) {
            System.err.println("caravan: " + result.error());
            return 1;
        }
        return 0;
    }
}
