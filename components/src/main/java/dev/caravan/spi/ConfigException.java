package dev.caravan.spi;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration with one or more problems; all of them are reported at once. */
public class ConfigException extends CaravanException {
    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(ErrorType.CONFIG, describe(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public ConfigException(ConfigProblem problem) {
        this(List.of(problem));
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String describe(List<ConfigProblem> problems) {
        String header = problems.size() == 1 ? "Invalid configuration: " : "Invalid configuration (" + problems.size() + " problems):\n  ";
        return header + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n  "));
    }
}
