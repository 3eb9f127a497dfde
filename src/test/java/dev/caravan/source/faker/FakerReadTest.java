package dev.caravan.source.faker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.CatalogStream;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import dev.caravan.spi.StreamReader;
import dev.caravan.spi.SyncMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;

import static dev.caravan.source.faker.FakerTesting.SOURCE;
import static dev.caravan.source.faker.FakerTesting.batches;
import static dev.caravan.source.faker.FakerTesting.config;
import static dev.caravan.source.faker.FakerTesting.count;
import static dev.caravan.source.faker.FakerTesting.fullRefresh;
import static dev.caravan.source.faker.FakerTesting.ids;
import static dev.caravan.source.faker.FakerTesting.projected;
import static dev.caravan.source.faker.FakerTesting.rows;
import static dev.caravan.source.faker.FakerTesting.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class FakerReadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

    @Test
    void discoverOffersThreeStreamsWithEveryModeKeyedByIdAndOrderedByUpdatedAt() {
        List<CatalogStream> streams = SOURCE.discover(config(Map.of())).streams();

        assertThat(streams).extracting(CatalogStream::name).containsExactly("users", "products", "purchases");
        assertThat(streams).allSatisfy(s -> {
            assertThat(s.supportedSyncModes()).containsExactly(SyncMode.values());
            assertThat(s.primaryKey()).containsExactly("id");
            assertThat(s.cursorCandidates()).containsExactly("updated_at", "id");
            assertThat(s.defaultCursorField()).isEqualTo("updated_at");
            assertThat(s.schema().field("id")).contains(Field.required("id", FieldType.INT64));
            assertThat(s.schema().field("updated_at")).contains(Field.required("updated_at", FieldType.TIMESTAMP_TZ));
        });
        assertThat(streams.get(0).schema().names()).containsExactly(
                "id", "name", "email", "age", "is_active", "balance", "birthday", "created_at", "updated_at", "address");
        assertThat(streams.get(1).schema().names()).containsExactly(
                "id", "make", "model", "price", "in_stock", "tags", "created_at", "updated_at");
        assertThat(streams.get(2).schema().names()).containsExactly(
                "id", "user_id", "product_id", "quantity", "amount", "purchased_at", "returned_at", "updated_at");
        assertThat(streams.get(2).schema().field("returned_at").orElseThrow().nullable()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"users", "products", "purchases"})
    void sizesFollowCount(String stream) {
        ConnectorConfig config = count(95);
        long expected = switch (stream) {
            case "users" -> 95;
            case "products" -> 9;
            default -> 190;
        };

        assertThat(ids(rows(config, fullRefresh(stream, Map.of(), 1000))))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, expected).boxed().toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"users", "products", "purchases"})
    void rowsAreTheSameWhateverTheBatchSize(String stream) {
        ConnectorConfig config = count(250);
        List<List<Object>> inOneBatch = values(rows(config, fullRefresh(stream, Map.of(), 10_000)));

        for (int batchSize : new int[] {1, 7, 64, 499}) {
            List<RecordBatch> batches = batches(config, fullRefresh(stream, Map.of(), batchSize));
            assertThat(values(rows(batches))).isEqualTo(inOneBatch);
            assertThat(batches).allSatisfy(b -> assertThat(b.size()).isBetween(1, batchSize));
            assertThat(batches).hasSize((inOneBatch.size() + batchSize - 1) / batchSize);
        }
    }

    @Test
    void seedChangesTheDataAndTheSameSeedRepeatsIt() {
        List<List<Object>> seed1 = values(rows(config(Map.of("count", 50, "seed", 1)), fullRefresh("users", Map.of(), 100)));
        List<List<Object>> seed1Again = values(rows(config(Map.of("count", 50, "seed", 1)), fullRefresh("users", Map.of(), 100)));
        List<List<Object>> seed2 = values(rows(config(Map.of("count", 50, "seed", 2)), fullRefresh("users", Map.of(), 100)));

        assertThat(seed1Again).isEqualTo(seed1);
        assertThat(seed2).isNotEqualTo(seed1);
        long sameNames = LongStream.range(0, 50).filter(i -> seed1.get((int) i).get(1).equals(seed2.get((int) i).get(1))).count();
        assertThat(sameNames).isLessThan(10);
    }

    @ParameterizedTest
    @ValueSource(strings = {"users", "products", "purchases"})
    void everyValueHasTheJavaClassOfItsTypeAndDecimalsTheirScale(String stream) {
        List<RecordBatch> batches = batches(count(300), fullRefresh(stream, Map.of(), 128));
        Schema schema = batches.get(0).schema();
        assertThat(schema).isEqualTo(FakerStreams.stream(stream).schema());
        Map<String, Integer> nonNull = new HashMap<>();

        for (Object[] row : rows(batches)) {
            assertThat(row).hasSize(schema.size());
            for (int i = 0; i < row.length; i++) {
                Field field = schema.field(i);
                if (row[i] == null) {
                    assertThat(field.nullable()).as(field.name()).isTrue();
                    continue;
                }
                nonNull.merge(field.name(), 1, Integer::sum);
                assertThat(row[i]).as(field.name()).isExactlyInstanceOf(javaClass(field.type()));
                if (field.type().kind() == FieldType.Kind.DECIMAL) {
                    BigDecimal decimal = (BigDecimal) row[i];
                    assertThat(decimal.scale()).as(field.name()).isEqualTo(field.type().scale());
                    assertThat(decimal.precision()).as(field.name()).isLessThanOrEqualTo(field.type().precision());
                }
            }
        }
        assertThat(nonNull.keySet()).as("every field has values").containsExactlyInAnyOrderElementsOf(schema.names());
    }

    @Test
    void jsonFieldsAreValidJsonOfTheDocumentedShape() throws Exception {
        for (Object[] user : rows(count(200), fullRefresh("users", Map.of(), 1000))) {
            JsonNode address = JSON.readTree((String) user[9]);
            assertThat(address.isObject()).isTrue();
            assertThat(address.fieldNames()).toIterable().containsExactly("street", "city", "zip", "country");
            assertThat(address.get("street").asText()).matches("\\d{1,3} .+");
            assertThat(address.get("zip").asText()).matches("\\d{5}");
            int city = List.of(Words.CITIES).indexOf(address.get("city").asText());
            assertThat(city).isNotNegative();
            assertThat(address.get("country").asText()).isEqualTo(Words.COUNTRIES[city]);
        }
        for (Object[] product : rows(count(2000), fullRefresh("products", Map.of(), 1000))) {
            JsonNode tags = JSON.readTree((String) product[5]);
            assertThat(tags.isArray()).isTrue();
            assertThat(tags.size()).isBetween(1, 3);
            Set<String> distinct = new HashSet<>();
            tags.forEach(t -> distinct.add(t.asText()));
            assertThat(distinct).hasSize(tags.size()).isSubsetOf(Words.TAGS);
        }
    }

    @Test
    void jsonTextEscapesWhatJsonRequires() throws Exception {
        String tricky = "a \"quoted\" \\ back\tslash\n\u0001 é";
        String json = JsonText.string(new StringBuilder(), tricky).toString();

        assertThat(JSON.readTree(json).asText()).isEqualTo(tricky);
    }

    @Test
    void usersLookReal() {
        for (Object[] user : rows(count(500), fullRefresh("users", Map.of(), 1000))) {
            long id = (Long) user[0];
            String[] name = ((String) user[1]).split(" ", 2);
            assertThat(name[0]).isIn((Object[]) Words.FIRST_NAMES);
            assertThat(name[1]).isIn((Object[]) Words.LAST_NAMES);
            assertThat((String) user[2])
                    .matches("[a-z]+\\.[a-z]+" + id + "@(example\\.(com|org|net)|mail\\.example|inbox\\.test)");
            int age = (Integer) user[3];
            assertThat(age).isBetween(18, 80);
            assertThat(Period.between((LocalDate) user[6], LocalDate.ofInstant(START, ZoneOffset.UTC)).getYears()).isEqualTo(age);
            assertThat((BigDecimal) user[5]).isBetween(BigDecimal.ZERO, new BigDecimal("50000.00"));
            assertThat((Instant) user[8]).isEqualTo(START.plusSeconds(id));
            assertThat((Instant) user[7]).isBeforeOrEqualTo((Instant) user[8]);
        }
    }

    @Test
    void purchasesReferToExistingUsersAndProductsAndCostQuantityTimesPrice() {
        ConnectorConfig config = count(300);
        Map<Long, BigDecimal> prices = new HashMap<>();
        rows(config, fullRefresh("products", Map.of(), 1000)).forEach(p -> prices.put((Long) p[0], (BigDecimal) p[3]));
        List<Object[]> purchases = rows(config, fullRefresh("purchases", Map.of(), 1000));
        int returned = 0;

        for (Object[] purchase : purchases) {
            assertThat((Long) purchase[1]).isBetween(1L, 300L);
            assertThat(prices).containsKey((Long) purchase[2]);
            int quantity = (Integer) purchase[3];
            assertThat(quantity).isBetween(1, 3);
            assertThat(purchase[4]).isEqualTo(prices.get((Long) purchase[2]).multiply(BigDecimal.valueOf(quantity)));
            Instant purchasedAt = (Instant) purchase[5];
            Instant updatedAt = (Instant) purchase[7];
            assertThat(purchasedAt).isBefore(updatedAt);
            if (purchase[6] != null) {
                returned++;
                assertThat((Instant) purchase[6]).isAfter(purchasedAt).isBeforeOrEqualTo(updatedAt);
            }
        }
        assertThat(returned).as("returns are rare but present").isBetween(5, 90);
    }

    @Test
    void projectionKeepsSourceOrderAndTheSameValues() {
        ConnectorConfig config = count(40);
        List<Object[]> all = rows(config, fullRefresh("users", Map.of(), 100));

        List<RecordBatch> batches = batches(config, projected("users", List.of("address", "email", "id")));
        assertThat(batches.get(0).schema().names()).containsExactly("id", "email", "address");
        List<Object[]> some = rows(batches);
        assertThat(some).hasSameSizeAs(all);
        for (int i = 0; i < all.size(); i++) {
            assertThat(some.get(i)).containsExactly(all.get(i)[0], all.get(i)[2], all.get(i)[9]);
        }
    }

    @Test
    void readerSchemaIsTheProjection() {
        try (StreamReader reader = SOURCE.read(count(3), projected("products", List.of("price")))) {
            assertThat(reader.schema().names()).containsExactly("price");
            assertThat(reader.next().rows()).allSatisfy(r -> assertThat(r).hasSize(1).hasOnlyElementsOfType(BigDecimal.class));
        }
    }

    @Test
    void unknownStreamIsAConfigErrorListingTheStreams() {
        CaravanException e = catchThrowableOfType(CaravanException.class,
                () -> SOURCE.read(count(3), fullRefresh("orders", Map.of(), 10)));

        assertThat(e.type()).isEqualTo(ErrorType.CONFIG);
        assertThat(e.getMessage()).contains("'orders'", "users, products, purchases");
    }

    @Test
    void unknownFieldsAreAConfigErrorNamingThemAndListingTheFields() {
        CaravanException e = catchThrowableOfType(CaravanException.class,
                () -> SOURCE.read(count(3), projected("products", List.of("id", "colour", "weight"))));

        assertThat(e.type()).isEqualTo(ErrorType.CONFIG);
        assertThat(e.getMessage()).contains("'products'", "'colour', 'weight'",
                "id, make, model, price, in_stock, tags, created_at, updated_at");
    }

    @Test
    void aCursorOtherThanUpdatedAtOrIdIsAConfigError() {
        ReadRequest request = new ReadRequest("users", List.of(), SyncMode.INCREMENTAL_APPEND_DEDUPED, "created_at",
                List.of("id"), Map.of(), 10);
        CaravanException e = catchThrowableOfType(CaravanException.class, () -> SOURCE.read(count(3), request));

        assertThat(e.type()).isEqualTo(ErrorType.CONFIG);
        assertThat(e.getMessage()).contains("'users'", "'created_at'", "updated_at, id");
    }

    @Test
    void noUsersMeansNoBatches() {
        for (String stream : List.of("users", "products", "purchases")) {
            try (StreamReader reader = SOURCE.read(count(0), fullRefresh(stream, Map.of(), 10))) {
                assertThat(reader.next()).isNull();
            }
        }
    }

    @Test
    void closedReaderReturnsNoMoreBatches() {
        StreamReader reader = SOURCE.read(count(100), fullRefresh("users", Map.of(), 10));
        assertThat(reader.next()).isNotNull();
        reader.close();
        assertThat(reader.next()).isNull();
    }

    private static Class<?> javaClass(FieldType type) {
        return switch (type.kind()) {
            case BOOLEAN -> Boolean.class;
            case INT32 -> Integer.class;
            case INT64 -> Long.class;
            case DECIMAL -> BigDecimal.class;
            case STRING, JSON -> String.class;
            case DATE -> LocalDate.class;
            case TIMESTAMP_TZ -> Instant.class;
            default -> throw new AssertionError("the faker source declares no " + type);
        };
    }
}
