package dev.caravan.config;

import dev.caravan.sync.SchemaPolicy;
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
 * {@code routes} says who writes its routes: a {@link RouteMode#HAND_WRITTEN} connection has no streams and no schedule
 * of its own (its route files hold them) and Caravan generates no route file for it. {@code schemaChanges} says what a
 * sync does when a stream's source schema changed since its last sync, {@code backfillNewColumns} whether an incremental
 * stream is read again from the start when a new column is propagated (docs/schema-changes.md). {@code flattenJsonDepth}
 * (0 = off) flattens JSON object columns into {@code parent_child} columns down to that many levels.
 */
public record ConnectionConfig(String name, String source, String destination, String namespace, String prefix,
                               boolean enabled, Schedule schedule, List<ConfiguredStream> streams, URI webhook, RouteMode routes,
                               SchemaPolicy schemaChanges, boolean backfillNewColumns, int flattenJsonDepth) {

    public static final int MAX_FLATTEN_JSON_DEPTH = 10;

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
        Objects.requireNonNull(routes, "routes");
        Objects.requireNonNull(schemaChanges, "schemaChanges");
        if (flattenJsonDepth < 0 || flattenJsonDepth > MAX_FLATTEN_JSON_DEPTH) {
            throw new IllegalArgumentException("flatten_json_depth " + flattenJsonDepth + ": use 0 (off) to " + MAX_FLATTEN_JSON_DEPTH);
        }
        if (routes == RouteMode.GENERATED && streams.isEmpty()) {
            throw new IllegalArgumentException("connection " + name + " has no streams");
        }
        if (routes == RouteMode.HAND_WRITTEN && (!streams.isEmpty() || !(schedule instanceof Schedule.Manual))) {
            throw new IllegalArgumentException("connection " + name + " has hand-written routes: its streams and schedule are in its route files");
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

    /** A connection with the default schema change policy. */
    public ConnectionConfig(String name, String source, String destination, String namespace, String prefix,
                            boolean enabled, Schedule schedule, List<ConfiguredStream> streams, URI webhook, RouteMode routes) {
        this(name, source, destination, namespace, prefix, enabled, schedule, streams, webhook, routes, SchemaPolicy.DEFAULT, false, 0);
    }

    /** A connection whose routes Caravan generates. */
    public ConnectionConfig(String name, String source, String destination, String namespace, String prefix,
                            boolean enabled, Schedule schedule, List<ConfiguredStream> streams, URI webhook) {
        this(name, source, destination, namespace, prefix, enabled, schedule, streams, webhook, RouteMode.GENERATED);
    }

    /** A connection without a webhook whose routes Caravan generates. */
    public ConnectionConfig(String name, String source, String destination, String namespace, String prefix,
                            boolean enabled, Schedule schedule, List<ConfiguredStream> streams) {
        this(name, source, destination, namespace, prefix, enabled, schedule, streams, null);
    }

    public ConnectionConfig withWebhook(URI value) {
        return new ConnectionConfig(name, source, destination, namespace, prefix, enabled, schedule, streams, value, routes, schemaChanges,
                backfillNewColumns, flattenJsonDepth);
    }

    public ConnectionConfig withEnabled(boolean value) {
        return new ConnectionConfig(name, source, destination, namespace, prefix, value, schedule, streams, webhook, routes, schemaChanges,
                backfillNewColumns, flattenJsonDepth);
    }

    public ConnectionConfig withStreams(List<ConfiguredStream> value) {
        return new ConnectionConfig(name, source, destination, namespace, prefix, enabled, schedule, value, webhook, routes, schemaChanges,
                backfillNewColumns, flattenJsonDepth);
    }

    public boolean generatedRoutes() {
        return routes == RouteMode.GENERATED;
    }

    public Optional<ConfiguredStream> stream(String streamName) {
        return streams.stream().filter(s -> s.name().equals(streamName)).findFirst();
    }
}
