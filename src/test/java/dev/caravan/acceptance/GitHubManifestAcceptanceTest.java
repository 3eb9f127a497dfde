package dev.caravan.acceptance;

import dev.caravan.source.http.TestingHttpApi;
import dev.caravan.spi.SyncMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** examples/http-manifests/github.yaml: Link-header pagination, bearer token, issues as a substream of repositories. */
class GitHubManifestAcceptanceTest extends HttpApiAcceptanceKit {
    @Override
    protected Map<String, Object> config() {
        return Map.of("manifest", "examples/http-manifests/github.yaml", "base_url", api.baseUrl(),
                "token", TestingHttpApi.TOKEN, "account", TestingHttpApi.ACCOUNT);
    }

    @Override
    protected List<BadConfig> badConfigs() {
        return List.of(BadConfig.of("token", "wrong"), BadConfig.of("base_url", "http://127.0.0.1:1"),
                BadConfig.of("manifest", "no/such/manifest.yaml"));
    }

    @Override
    protected List<StreamCase> streams() {
        List<Map<String, Object>> repos = new ArrayList<>();
        for (int i = 0; i < TestingHttpApi.REPOS.size(); i++) {
            repos.add(Map.of("id", (long) i + 1, "name", TestingHttpApi.REPOS.get(i), "full_name", "acme/" + TestingHttpApi.REPOS.get(i),
                    "private", i % 2 == 1, "updated_at", TestingHttpApi.T0.plusSeconds(i).toString()));
        }
        List<Map<String, Object>> issues = new ArrayList<>();
        TestingHttpApi.REPOS.stream().filter(r -> !r.equals("ghost")).forEach(r -> issues.addAll(TestingHttpApi.issues(r)));
        List<List<String>> expectedRepos = texts(repos, List.of("id", "name", "full_name", "private", "updated_at"), Map.of());
        List<List<String>> expectedIssues = texts(issues,
                List.of("id", "number", "title", "state", "labels", "user", "comments", "updated_at"), Map.of("comments", "many"));
        return List.of(
                new StreamCase("repositories", SyncMode.FULL_REFRESH_APPEND, null, List.of("id"), expectedRepos, 1),
                new StreamCase("issues", SyncMode.FULL_REFRESH_APPEND, null, List.of("id"), expectedIssues, 2),
                new StreamCase("issues", SyncMode.INCREMENTAL_APPEND, "updated_at", List.of("id"), expectedIssues, 2));
    }
}
