/**
 * Connections as code: the YAML format that declares sources, destinations and connections, read by
 * {@link dev.caravan.config.ConfigParser} into immutable records and written back by {@link dev.caravan.config.ConfigWriter}.
 *
 * <pre>{@code
 * sources:
 *   - name: faker-demo              # [a-z0-9][a-z0-9_-]{0,62}: becomes file names and route ids
 *     connector: faker
 *     config: {seed: 42, count: 1000}   # checked against the connector's spec when the parser has one
 * destinations:
 *   - name: local-lake
 *     connector: local
 *     config: {path: ./lake}
 * connections:
 *   - name: demo
 *     source: faker-demo            # declared above, or passed to the parser as known
 *     destination: local-lake
 *     namespace: demo               # default "": folder under raw/, segments joined by '/'
 *     prefix: faker_                # default "": put before every stream name
 *     enabled: true                 # default true
 *     schedule: manual              # default; or {every: 6h} (s, m, h, d; at least 1s)
 *                                   # or {cron: "0 0/15 * * * ?", timezone: Europe/Paris} (Quartz; default UTC)
 *     schema_changes: propagate_columns  # default; or propagate_all, ignore, pause (docs/schema-changes.md)
 *     backfill_new_columns: false   # default; true: an incremental stream is read from the start when a column is added
 *     flatten_json_depth: 0         # default (off); 1-10: JSON objects also written as parent_child columns
 *     streams:                      # at least one
 *       - name: users
 *         sync_mode: incremental_append   # default full_refresh_overwrite
 *         cursor_field: updated_at        # required by incremental modes
 *         primary_key: [id]               # required by incremental_append_deduped
 *         fields: [id, name, updated_at]  # default: all; must include cursor and key
 *         split_reads: auto               # default: the source's; off, or 2-8 parallel key ranges (full refresh only)
 * }</pre>
 *
 * A key set to null counts as absent. Validation reports every problem of a document in one
 * {@link dev.caravan.spi.ConfigException}; connector settings are never quoted in problems, since any may be a secret.
 */
package dev.caravan.config;
