package dev.caravan.spi;

import java.util.List;
import java.util.Objects;

/**
 * One configuration key of a connector, declared once and used for validation, the JSON Schema spec,
 * documentation, masking of secrets and the UI. Instances are immutable; the {@code with*} methods copy.
 */
public record ConfigOption(String name, OptionType type, Object defaultValue, boolean required, boolean secret,
                           String description, List<String> allowedValues, Long minimum, Long maximum) {

    /** The type of an option's value: a JSON string, integer or boolean in the configuration. */
    public enum OptionType { STRING, INTEGER, BOOLEAN }

    public ConfigOption {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        description = description == null ? "" : description;
        allowedValues = allowedValues == null ? List.of() : List.copyOf(allowedValues);
        if (required && defaultValue != null) {
            throw new IllegalArgumentException("option '" + name + "' cannot be both required and defaulted");
        }
    }

    public static ConfigOption string(String name) {
        return new ConfigOption(name, OptionType.STRING, null, false, false, null, null, null, null);
    }

    public static ConfigOption integer(String name) {
        return new ConfigOption(name, OptionType.INTEGER, null, false, false, null, null, null, null);
    }

    public static ConfigOption bool(String name) {
        return new ConfigOption(name, OptionType.BOOLEAN, null, false, false, null, null, null, null);
    }

    public ConfigOption withDefault(Object value) {
        return new ConfigOption(name, type, value, false, secret, description, allowedValues, minimum, maximum);
    }

    public ConfigOption asRequired() {
        return new ConfigOption(name, type, null, true, secret, description, allowedValues, minimum, maximum);
    }

    public ConfigOption asSecret() {
        return new ConfigOption(name, type, defaultValue, required, true, description, allowedValues, minimum, maximum);
    }

    public ConfigOption withDescription(String text) {
        return new ConfigOption(name, type, defaultValue, required, secret, text, allowedValues, minimum, maximum);
    }

    public ConfigOption withAllowedValues(String... values) {
        return new ConfigOption(name, type, defaultValue, required, secret, description, List.of(values), minimum, maximum);
    }

    public ConfigOption withRange(long min, long max) {
        return new ConfigOption(name, type, defaultValue, required, secret, description, allowedValues, min, max);
    }
}
