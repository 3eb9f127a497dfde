package dev.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code caravan discover <source>}: the streams a source offers, with their fields, keys and cursor candidates. */
@Command(name = "discover", mixinStandardHelpOptions = true, description = "List the streams a source offers.")
final class DiscoverCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Parameters(index = "0", description = "Source name.")
    String source;

    @Override
    public Integer call() {
        JsonNode catalog = options.client().postJson("/sources/" + Tables.encode(source) + "/discover", "");
        for (JsonNode stream : catalog.get("streams")) {
            System.out.printf("%s  (primary key %s; cursor candidates %s)%n", stream.get("name").asText(), stream.get("primary_key"),
                    stream.get("cursor_candidates"));
            List<String> fields = new ArrayList<>();
            for (JsonNode field : stream.get("fields")) {
                fields.add(String.format("    %-28s %s%s", field.get("name").asText(), field.get("type").asText(),
                        field.get("nullable").asBoolean() ? "" : " not null"));
            }
            fields.forEach(System.out::println);
        }
        return 0;
    }
}
