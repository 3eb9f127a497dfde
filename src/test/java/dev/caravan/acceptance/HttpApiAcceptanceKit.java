package dev.caravan.acceptance;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.source.http.HttpSource;
import dev.caravan.source.http.TestingHttpApi;
import dev.caravan.spi.SourceConnector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/** The http source running one example manifest against {@link TestingHttpApi}; expected rows come from the server's data. */
abstract class HttpApiAcceptanceKit extends SourceAcceptanceKit {
    static final ObjectMapper JSON = new ObjectMapper();
    final TestingHttpApi api;

    HttpApiAcceptanceKit() {
        try {
            api = new TestingHttpApi();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    void stopApi() {
        api.close();
    }

    @Override
    protected SourceConnector connector() {
        return new HttpSource();
    }

    /** The records as texts of their values in the order of {@code fields} (JSON values compact, like the source's). */
    static List<List<String>> texts(List<Map<String, Object>> records, List<String> fields, Map<String, String> nulled) {
        List<List<String>> out = new ArrayList<>();
        for (Map<String, Object> r : records) {
            List<String> row = new ArrayList<>();
            for (String f : fields) {
                Object v = r.get(f);
                try {
                    row.add(v instanceof Map || v instanceof List ? JSON.writeValueAsString(v)
                            : nulled.containsKey(f) && nulled.get(f).equals(String.valueOf(v)) ? "null" : String.valueOf(v));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            out.add(row);
        }
        return out;
    }
}
