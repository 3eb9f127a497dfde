package dev.caravan.source.faker;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.StreamReader;
import dev.caravan.spi.SyncMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static dev.caravan.source.faker.FakerTesting.SOURCE;
import static dev.caravan.source.faker.FakerTesting.batches;
import static dev.caravan.source.faker.FakerTesting.count;
import static dev.caravan.source.faker.FakerTesting.fullRefresh;
import static dev.caravan.source.faker.FakerTesting.ids;
import static dev.caravan.source.faker.FakerTesting.incremental;
import static dev.caravan.source.faker.FakerTesting.rows;
import static dev.caravan.source.faker.FakerTesting.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class FakerResumeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> streamsAndModes() {
        return Stream.of("users", "products", "purchases")
                .flatMap(stream -> Stream.of(SyncMode.values()).map(mode -> Arguments.of(stream, mode)));
    }

    /** Sync, interrupt after a few batches, resume from the last checkpoint (stored as JSON): every row exactly once. */
    @ParameterizedTest
    @MethodSource("streamsAndModes")
    void resumeFromAMidStreamCheckpointReadsEveryRowExactlyOnce(String stream, SyncMode mode) throws Exception {
        ConnectorConfig config = count(230);
        List<List<Object>> uninterrupted = values(rows(config, request(stream, mode, Map.of(), 1000)));

        List<Object[]> delivered = new ArrayList<>();
        Map<String, Object> committed;
        try (StreamReader reader = SOURCE.read(config, request(stream, mode, Map.of(), 5))) {
            RecordBatch batch = null;
            for (int i = 0; i < 3; i++) {
                batch = reader.next();
                delivered.addAll(batch.rows());
            }
            committed = batch.checkpoint();
            reader.next();
        }
        Map<String, Object> restored = JSON.readValue(JSON.writeValueAsString(committed), new TypeReference<>() { });
        delivered.addAll(rows(config, request(stream, mode, restored, 7)));

        assertThat(values(delivered)).isEqualTo(uninterrupted);
        assertThat(ids(delivered)).doesNotHaveDuplicates().hasSize(uninterrupted.size());
    }

    @Test
    void checkpointsResumeStrictlyAfterTheLastRowOfTheirBatch() {
        List<RecordBatch> incremental = batches(count(25), incremental("users", Map.of(), 10));
        assertThat(incremental).extracting(RecordBatch::checkpoint).containsExactly(
                Map.of("cursor", "2024-01-01T00:00:10Z", "id", 10L),
                Map.of("cursor", "2024-01-01T00:00:20Z", "id", 20L),
                Map.of("cursor", "2024-01-01T00:00:25Z", "id", 25L));

        List<RecordBatch> full = batches(count(25), fullRefresh("purchases", Map.of(), 20));
        assertThat(full).extracting(RecordBatch::checkpoint).containsExactly(
                Map.of("id", 20L), Map.of("id", 40L), Map.of("id", 50L));

        ReadRequest byId = new ReadRequest("products", List.of(), SyncMode.INCREMENTAL_APPEND, "id", List.of("id"), Map.of(), 2);
        assertThat(batches(count(30), byId)).extracting(RecordBatch::checkpoint).containsExactly(
                Map.of("cursor", 2L, "id", 2L), Map.of("cursor", 3L, "id", 3L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"users", "products", "purchases"})
    void raisingCountMakesTheNextIncrementalSyncReturnExactlyTheNewRows(String stream) {
        ConnectorConfig before = count(100);
        ConnectorConfig after = count(150);
        List<RecordBatch> first = batches(before, incremental(stream, Map.of(), 64));
        Map<String, Object> state = first.get(first.size() - 1).checkpoint();

        List<Object[]> next = rows(after, incremental(stream, state, 64));

        List<Object[]> allAfter = rows(after, incremental(stream, Map.of(), 1000));
        int oldRows = rows(first).size();
        assertThat(values(rows(first))).isEqualTo(values(allAfter.subList(0, oldRows)));
        assertThat(values(next)).isEqualTo(values(allAfter.subList(oldRows, allAfter.size())));
        long expectedOld = switch (stream) {
            case "users" -> 100;
            case "products" -> 10;
            default -> 200;
        };
        long expectedNew = stream.equals("products") ? 15 : expectedOld * 3 / 2;
        assertThat(ids(next)).containsExactlyElementsOf(LongStream.rangeClosed(expectedOld + 1, expectedNew).boxed().toList());
    }

    @Test
    void aReadWithNothingNewReturnsNoBatch() {
        try (StreamReader reader = SOURCE.read(count(10), incremental("users", Map.of("cursor", "2024-01-01T00:00:10Z", "id", 10L), 5))) {
            assertThat(reader.next()).isNull();
        }
        assertThat(batches(count(10), fullRefresh("users", Map.of("id", 10), 5))).isEmpty();
        assertThat(batches(count(10), fullRefresh("users", Map.of("id", Long.MAX_VALUE), 5))).isEmpty();
    }

    @Test
    void aCursorWithoutIdResumesAfterRowsUpToTheCursor() {
        assertThat(firstId(Map.of("cursor", "2024-01-01T00:00:10Z"))).isEqualTo(11);
        assertThat(firstId(Map.of("cursor", "2024-01-01T00:00:10.500Z"))).isEqualTo(11);
        assertThat(firstId(Map.of("cursor", "2024-01-01T00:00:09.999999999Z"))).isEqualTo(10);
        assertThat(firstId(Map.of("cursor", Instant.parse("2024-01-01T00:00:10Z")))).isEqualTo(11);
        assertThat(firstId(Map.of("cursor", "2023-06-01T00:00:00Z"))).isEqualTo(1);
    }

    @Test
    void aCursorTieIsBrokenByTheId() {
        assertThat(firstId(Map.of("cursor", "2024-01-01T00:00:10Z", "id", 9))).isEqualTo(10);
        assertThat(firstId(Map.of("cursor", "2024-01-01T00:00:10Z", "id", 10))).isEqualTo(11);
        assertThat(firstId(Map.of("cursor", "2024-01-01T00:00:10Z", "id", "10"))).isEqualTo(11);
    }

    @Test
    void anIncrementalStateWithOnlyAnIdResumesAfterIt() {
        assertThat(firstId(Map.of("id", 33L))).isEqualTo(34);
    }

    @Test
    void idAsCursorResumesAfterTheId() {
        ReadRequest request = new ReadRequest("users", List.of(), SyncMode.INCREMENTAL_APPEND_DEDUPED, "id", List.of("id"),
                Map.of("cursor", 40, "id", 40), 100);
        assertThat(ids(rows(count(45), request))).containsExactly(41L, 42L, 43L, 44L, 45L);
    }

    @Test
    void aFullRefreshResumesAfterTheIdAndIgnoresACursor() {
        assertThat(ids(rows(count(45), fullRefresh("users", Map.of("id", 42), 100)))).containsExactly(43L, 44L, 45L);
        assertThat(ids(rows(count(3), fullRefresh("users", Map.of("cursor", "2030-01-01T00:00:00Z"), 100))))
                .containsExactly(1L, 2L, 3L);
    }

    @Test
    void anUnreadableStateIsAConfigErrorThatSaysToResetIt() {
        CaravanException cursor = catchThrowableOfType(CaravanException.class,
                () -> SOURCE.read(count(10), incremental("users", Map.of("cursor", "last tuesday"), 5)));
        assertThat(cursor.type()).isEqualTo(ErrorType.CONFIG);
        assertThat(cursor.getMessage()).contains("'users'", "'last tuesday'", "ISO-8601", "reset the stream's state");

        CaravanException id = catchThrowableOfType(CaravanException.class,
                () -> SOURCE.read(count(10), fullRefresh("products", Map.of("id", 1.5), 5)));
        assertThat(id.type()).isEqualTo(ErrorType.CONFIG);
        assertThat(id.getMessage()).contains("'products'", "id '1.5'", "whole number", "reset the stream's state");
    }

    private static long firstId(Map<String, Object> state) {
        List<RecordBatch> batches = batches(count(100), incremental("users", state, 1));
        return (Long) batches.get(0).rows().get(0)[0];
    }

    private static ReadRequest request(String stream, SyncMode mode, Map<String, Object> state, int batchSize) {
        return new ReadRequest(stream, List.of(), mode, mode.incremental() ? "updated_at" : null, List.of("id"), state, batchSize);
    }
}
