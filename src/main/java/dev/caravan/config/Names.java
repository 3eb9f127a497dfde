package dev.caravan.config;

import dev.caravan.spi.ConfigProblem;

import java.util.List;

/** Reads a required name (of a source, destination or connection, or a reference to one) and checks its form. */
final class Names {
    private Names() {
    }

    /** The name at {@code key}, or null after recording why it is missing or malformed. */
    static String name(YamlMap map, String key, String requiredHint, List<ConfigProblem> problems) {
        String name = map.string(key, requiredHint);
        if (name != null && !ConfigRules.isName(name)) {
            problems.add(new ConfigProblem(map.path(key), name, ConfigRules.NAME_RULE));
            return null;
        }
        return name;
    }
}
