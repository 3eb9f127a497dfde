package dev.caravan.acceptance;

import dev.caravan.source.faker.FakerSource;
import dev.caravan.spi.SourceConnector;
import dev.caravan.spi.SyncMode;
import dev.caravan.testing.FakerRows;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The faker source passes the acceptance kit; its values are pinned by the golden file, its records by {@link FakerRows}. */
class FakerAcceptanceTest extends SourceAcceptanceKit {
    private static final int COUNT = 120;

    @Override
    protected SourceConnector connector() {
        return new FakerSource();
    }

    @Override
    protected Map<String, Object> config() {
        return Map.of("count", COUNT, "seed", 7);
    }

    @Override
    protected List<BadConfig> badConfigs() {
        return List.of(BadConfig.of("count", -1), BadConfig.of("start_date", "yesterday"));
    }

    @Override
    protected List<StreamCase> streams() {
        List<StreamCase> cases = new ArrayList<>();
        for (String stream : List.of("users", "products", "purchases")) {
            List<List<String>> expected = new FakerRows(7).rows(stream, List.of(), COUNT).stream()
                    .map(row -> java.util.Arrays.stream(row).map(Values::text).toList()).toList();
            cases.add(new StreamCase(stream, SyncMode.FULL_REFRESH_APPEND, null, List.of("id"), expected));
            cases.add(new StreamCase(stream, SyncMode.INCREMENTAL_APPEND, "updated_at", List.of("id"), expected, 11));
        }
        return cases;
    }

    @Override
    protected Path typesGolden() {
        return Path.of("src/test/resources/golden/acceptance/faker.txt");
    }

    @Override
    protected String typesStream() {
        return "purchases";
    }
}
