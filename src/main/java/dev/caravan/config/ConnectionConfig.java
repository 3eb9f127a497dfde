package dev.caravan.config;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Copies the {@code streams} of source {@code source} to destination {@code destination} on {@code schedule}.
 * {@code namespace} is the destination folder (first path segments under {@code raw/}, "" for none) and
 * {@code prefix} is put before every stream name ("" for none). A disabled connection keeps its config and state
 * but is never scheduled. {@code webhook} (optional) receives a POST with the job's summary whenever a job ends.
 */
public record ConnectionConfig(String name, String source, String destination, String namespace, String prefix,
                               boolean enabled, Schedule schedule, List<ConfiguredStream> streams, URI webhook) {

    public static final String DEFAULT_NAMESPACE = "";
    public static final String DEFAULT_PREFIX = "";
    public static final boolean DEFAULT_ENABLED = true;

    public ConnectionConfig {
        ConfigRules.requireName(name, "connection name");
        ConfigRules.requireName(source, "source of connection " + name);
        ConfigRules.requireName(destination, "destination of connection " + name);
        Objects.requireNonNull(namespace, "namespace");
        if (!ConfigRules.isNamespace(namespace)) {
            throw new IllegalArgumentException("namespace '" + namespace + "': " + ConfigRules.NAMESPACE_RULE);
        }
        Objects.requireNonNull(prefix, "prefix");
        if (!ConfigRules.isPrefix(prefix)) {
            throw new IllegalArgumentException("prefix '" + prefix + "': " + ConfigRules.PREFIX_RULE);
        }
        Objects.requireNonNull(schedule, "schedule");
        streams = List.copyOf(streams);
        if (streams.isEmpty()) {
            throw new IllegalArgumentException("connection " + name + " has no streams");
        }
        if (webhook != null && !ConfigRules.isWebhook(webhook)) {
            throw new IllegalArgumentException("webhook '" + webhook + "': " + ConfigRules.WEBHOOK_RULE);
        }
        Set<String> seen = new HashSet<>();
        for (ConfiguredStream stream : streams) {
            if (!seen.add(stream.name())) {
                throw new IllegalArgumentException("connection " + name + " lists stream " + stream.name() + " twice");
            }
        }
    }

    /** A connection without a webhook. */
    public ConnectionConfig(String name, String source, String destination, String namespace, String prefix,
                            boolean enabled, Schedule schedule, List<ConfiguredStream> streams) {
        this(name, source, destination, namespace, prefix, enabled, schedule, streams, null);
    }

    public ConnectionConfig withWebhook(URI value) {
        return new ConnectionConfig(name, source, destination, namespace, prefix, enabled, schedule, streams, value);
    }

    public ConnectionConfig withEnabled(boolean value) {
        return new ConnectionConfig(name, source, destination, namespace, prefix, value, schedule, streams, webhook);
    }

    public Optional<ConfiguredStream> stream(String streamName) {
        return streams.stream().filter(s -> s.name().equals(streamName)).findFirst();
    }
}
