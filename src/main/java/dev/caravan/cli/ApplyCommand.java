package dev.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.caravan.config.YamlDocument;
import dev.caravan.spi.CaravanException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code caravan apply -f <dir|file>}: creates or updates everything the YAML declares; {@code --dry-run} shows the diff. */
@Command(name = "apply", mixinStandardHelpOptions = true, description = "Create or update sources, destinations and connections from YAML.")
final class ApplyCommand implements Callable<Integer> {
    private static final YAMLMapper YAML = new YAMLMapper();

    @Mixin
    ClientOptions options;

    @Option(names = {"-f", "--file"}, required = true, description = "A YAML file, or a directory of *.yaml/*.yml files applied together.")
    Path path;

    @Option(names = "--dry-run", description = "Only show what would be created, updated or left unchanged.")
    boolean dryRun;

    @Option(names = "--atomic", description = "Apply nothing if anything is invalid (default: apply the valid items, report the others, exit 1).")
    boolean atomic;

    @Override
    public Integer call() throws IOException {
        JsonNode result = options.client().postYaml("/apply?dry_run=" + dryRun + "&atomic=" + atomic, document(path));
        for (JsonNode change : result.get("changes")) {
            String action = change.get("action").asText();
            String mark = switch (action) {
                case "create" -> "+";
                case "update" -> "~";
                default -> "=";
            };
            System.out.printf("%s %-11s %-30s %s%n", mark, change.get("kind").asText(), change.get("name").asText(),
                    dryRun && !action.equals("unchanged") ? action + " (dry run)" : action);
        }
        for (JsonNode warning : result.path("warnings")) {
            System.out.printf("warning %s: '%s' — %s%n", warning.get("path").asText(), warning.path("value").asText(""), warning.get("fix").asText());
        }
        JsonNode problems = result.path("problems");
        for (JsonNode problem : problems) {
            System.out.printf("! not applied: %s: '%s' — %s%n", problem.get("path").asText(), problem.path("value").asText(""),
                    problem.get("fix").asText());
        }
        return problems.isEmpty() ? 0 : 1;
    }

    /** One document from a file, or from every YAML file of a directory (so references may cross files). */
    static String document(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            if (!Files.isRegularFile(path)) {
                throw CaravanException.config(path + " does not exist; pass a YAML file or a directory of them");
            }
            return Files.readString(path);
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(path)) {
            files = list.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw CaravanException.config(path + " holds no *.yaml or *.yml file");
        }
        ObjectNode merged = YAML.createObjectNode();
        for (Path file : files) {
            JsonNode tree = YamlDocument.read(Files.readString(file), file.toString());
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                continue;
            }
            if (!tree.isObject()) {
                throw CaravanException.config(file + ": a configs-as-code document is a map with sources, destinations and connections");
            }
            tree.fields().forEachRemaining(entry -> {
                JsonNode existing = merged.get(entry.getKey());
                if (existing instanceof ArrayNode array && entry.getValue().isArray()) {
                    array.addAll((ArrayNode) entry.getValue());
                } else if (existing == null) {
                    merged.set(entry.getKey(), entry.getValue());
                } else {
                    throw CaravanException.config(file + ": '" + entry.getKey() + "' must be a list to be merged with the other files");
                }
            });
        }
        return YAML.writeValueAsString(merged);
    }
}
