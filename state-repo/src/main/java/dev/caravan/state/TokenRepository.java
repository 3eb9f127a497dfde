package dev.caravan.state;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** API tokens by name and by the hash of their secret. */
public final class TokenRepository {
    private static final String COLUMNS = "name, role, secret_hash, created_at, created_by, last_used_at";
    private final Sql sql;

    public TokenRepository(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    /** Stores a new token; false when a token of that name exists already. */
    public boolean insert(TokenRecord token) {
        return sql.inTransaction(c -> {
            if (find(token.name()).isPresent()) {
                return false;
            }
            Sql.update(c, "INSERT INTO caravan_token (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)", token.name(), token.role(),
                    token.secretHash(), utc(token.createdAt()), token.createdBy(), token.lastUsedAt() == null ? null : utc(token.lastUsedAt()));
            return true;
        });
    }

    public Optional<TokenRecord> find(String name) {
        return sql.queryOne("SELECT " + COLUMNS + " FROM caravan_token WHERE name = ?", TokenRepository::map, name);
    }

    public Optional<TokenRecord> findBySecretHash(String secretHash) {
        return sql.queryOne("SELECT " + COLUMNS + " FROM caravan_token WHERE secret_hash = ?", TokenRepository::map, secretHash);
    }

    public List<TokenRecord> list() {
        return sql.query("SELECT " + COLUMNS + " FROM caravan_token ORDER BY name", TokenRepository::map);
    }

    public int count(String role) {
        return sql.queryOne("SELECT COUNT(*) FROM caravan_token WHERE role = ?", rs -> rs.getInt(1), role).orElse(0);
    }

    public boolean delete(String name) {
        return sql.update("DELETE FROM caravan_token WHERE name = ?", name) > 0;
    }

    public void touch(String name, Instant usedAt) {
        sql.update("UPDATE caravan_token SET last_used_at = ? WHERE name = ?", utc(usedAt), name);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static TokenRecord map(ResultSet rs) throws SQLException {
        OffsetDateTime used = rs.getObject(6, OffsetDateTime.class);
        return new TokenRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class).toInstant(),
                rs.getString(5), used == null ? null : used.toInstant());
    }
}
