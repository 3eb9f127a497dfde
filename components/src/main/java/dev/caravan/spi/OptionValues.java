package dev.caravan.spi;

import java.util.List;

/** Converts one raw configuration value to its option's type, or records a problem naming the fix. */
final class OptionValues {
    private OptionValues() {
    }

    static Object convert(ConfigOption option, Object value, String path, List<ConfigProblem> problems) {
        String shown = option.secret() ? ConnectorSpec.MASK : EmbeddedSecrets.masked(String.valueOf(value));
        switch (option.type()) {
            case STRING -> {
                if (!(value instanceof String s)) {
                    // YAML reads 4 as a number and a plain off or no as false: quoting keeps them text
                    boolean scalar = value instanceof Number || value instanceof Boolean;
                    String example = value instanceof Boolean ? " (YAML reads a plain on, off, yes or no as true or false)"
                            : option.secret() ? "" : ", e.g. \"" + value + "\"";
                    problems.add(new ConfigProblem(path, shown, scalar ? "must be a string: put it in quotes" + example : "must be a string"));
                    return null;
                }
                if (!option.allowedValues().isEmpty() && !option.allowedValues().contains(s)) {
                    problems.add(new ConfigProblem(path, shown, "must be one of " + String.join(", ", option.allowedValues())));
                    return null;
                }
                if (s.isBlank() && option.required()) {
                    problems.add(new ConfigProblem(path, shown, "cannot be blank: " + option.description()));
                    return null;
                }
                return s;
            }
            case INTEGER -> {
                long number;
                if (value instanceof Integer || value instanceof Long || value instanceof Short) {
                    number = ((Number) value).longValue();
                } else {
                    problems.add(new ConfigProblem(path, shown, "must be a whole number"));
                    return null;
                }
                if ((option.minimum() != null && number < option.minimum()) || (option.maximum() != null && number > option.maximum())) {
                    problems.add(new ConfigProblem(path, shown, "must be between " + option.minimum() + " and " + option.maximum()));
                    return null;
                }
                return number;
            }
            case BOOLEAN -> {
                if (!(value instanceof Boolean)) {
                    problems.add(new ConfigProblem(path, shown, "must be true or false"));
                    return null;
                }
                return value;
            }
            default -> throw new IllegalStateException("unhandled option type " + option.type());
        }
    }
}
