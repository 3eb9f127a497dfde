package dev.caravan.state;

import dev.caravan.state.StoredDefinition.Kind;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Sources, destinations and connections as applied, keyed by kind and name. */
public final class DefinitionRepository {
    private static final String COLUMNS = "kind, name, connector, body, updated_at";
    private static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM caravan_definition WHERE kind = ? AND name = ?";
    private final Sql sql;

    public DefinitionRepository(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    /** One definition to store: its kind, name, connector (null for a connection) and body. */
    public record Definition(Kind kind, String name, String connector, String body) {
    }

    /** Inserts or replaces; returns true when something changed. */
    public boolean save(Kind kind, String name, String connector, String body) {
        return saveAll(List.of(new Definition(kind, name, connector, body))) > 0;
    }

    /**
     * Inserts or replaces every definition in one transaction (all of them are stored or none, and a document of many
     * costs one commit instead of one each); returns how many changed. Rows are written in kind and name order, the
     * version row last: two servers sharing a store and saving overlapping documents lock in the same order, so neither
     * waits for the other in a cycle.
     */
    public int saveAll(List<Definition> all) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Definition> ordered = all.stream().sorted(Comparator.comparing((Definition d) -> d.kind().name()).thenComparing(Definition::name)).toList();
        return sql.inTransaction(c -> {
            int changed = 0;
            for (Definition d : ordered) {
                Optional<StoredDefinition> existing = Sql.query(c, SELECT_ONE, DefinitionRepository::map, d.kind().name(), d.name()).stream().findFirst();
                if (existing.isPresent()) {
                    StoredDefinition old = existing.get();
                    if (old.body().equals(d.body()) && java.util.Objects.equals(old.connector(), d.connector())) {
                        continue;
                    }
                    Sql.update(c, "UPDATE caravan_definition SET connector = ?, body = ?, updated_at = ? WHERE kind = ? AND name = ?",
                            d.connector(), d.body(), now, d.kind().name(), d.name());
                } else {
                    Sql.update(c, "INSERT INTO caravan_definition (kind, name, connector, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                            d.kind().name(), d.name(), d.connector(), d.body(), now, now);
                }
                changed++;
            }
            if (changed > 0) {
                bumpVersion(c);
            }
            return changed;
        });
    }

    public Optional<StoredDefinition> find(Kind kind, String name) {
        return sql.queryOne(SELECT_ONE, DefinitionRepository::map, kind.name(), name);
    }

    public List<StoredDefinition> list(Kind kind) {
        return sql.query("SELECT " + COLUMNS + " FROM caravan_definition WHERE kind = ? ORDER BY name", DefinitionRepository::map, kind.name());
    }

    public boolean delete(Kind kind, String name) {
        return sql.inTransaction(c -> {
            boolean deleted = Sql.update(c, "DELETE FROM caravan_definition WHERE kind = ? AND name = ?", kind.name(), name) > 0;
            if (deleted) {
                bumpVersion(c);
            }
            return deleted;
        });
    }

    /** A number that changes with every store and delete of a definition (on any node sharing this store). */
    public long version() {
        return sql.queryOne("SELECT version FROM caravan_definition_version WHERE id = 1", rs -> rs.getLong(1)).orElse(0L);
    }

    private static void bumpVersion(java.sql.Connection c) throws java.sql.SQLException {
        Sql.update(c, "UPDATE caravan_definition_version SET version = version + 1 WHERE id = 1");
    }

    private static StoredDefinition map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new StoredDefinition(Kind.valueOf(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getObject(5, OffsetDateTime.class).toInstant());
    }
}
