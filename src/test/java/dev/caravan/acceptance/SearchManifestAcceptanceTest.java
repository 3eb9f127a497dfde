package dev.caravan.acceptance;

import dev.caravan.spi.SyncMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * examples/http-manifests/search.yaml: a POST search API (filter and page in the JSON body), an inferred schema, a record
 * filter and an incremental cursor with a lookback window; cursor values shared by three records each.
 */
class SearchManifestAcceptanceTest extends HttpApiAcceptanceKit {
    private static final int EVENTS = 40;

    SearchManifestAcceptanceTest() {
        for (int i = 1; i <= EVENTS; i++) {
            api.event(i, i / 3, i % 4 == 0 ? "noise" : "click");
        }
    }

    @Override
    protected Map<String, Object> config() {
        return Map.of("manifest", "examples/http-manifests/search.yaml", "base_url", api.baseUrl());
    }

    @Override
    protected List<BadConfig> badConfigs() {
        return List.of(BadConfig.of("start_date", "yesterday"), BadConfig.of("base_url", "ftp://nowhere"));
    }

    @Override
    protected List<StreamCase> streams() {
        List<Map<String, Object>> kept = new ArrayList<>();
        for (Map<String, Object> e : api.events) {
            if (!"noise".equals(e.get("kind"))) {
                kept.add(e);
            }
        }
        List<List<String>> expected = texts(kept, List.of("id", "at", "kind"), Map.of());
        return List.of(new StreamCase("events", SyncMode.FULL_REFRESH_APPEND, null, List.of("id"), expected, 3),
                new StreamCase("events", SyncMode.INCREMENTAL_APPEND, "at", List.of("id"), expected, 3),
                new StreamCase("events", SyncMode.INCREMENTAL_APPEND_DEDUPED, "at", List.of("id"), expected, 4));
    }
}
