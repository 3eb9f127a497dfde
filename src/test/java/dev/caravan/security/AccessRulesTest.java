package dev.caravan.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AccessRulesTest {

    @Test
    void readingNeedsViewerChangingEditorTokensAdmin() {
        assertThat(AccessRules.required("GET", "/api/v1/connections")).isEqualTo(Role.VIEWER);
        assertThat(AccessRules.required("HEAD", "/api/v1/jobs/1")).isEqualTo(Role.VIEWER);
        assertThat(AccessRules.required("GET", "/metrics")).isEqualTo(Role.VIEWER);
        assertThat(AccessRules.required("POST", "/api/v1/connections/sync")).isEqualTo(Role.EDITOR);
        assertThat(AccessRules.required("PUT", "/api/v1/sources/x")).isEqualTo(Role.EDITOR);
        assertThat(AccessRules.required("DELETE", "/api/v1/connections/x")).isEqualTo(Role.EDITOR);
        assertThat(AccessRules.required("POST", "/api/v1/sources/x/check")).isEqualTo(Role.EDITOR);
        assertThat(AccessRules.required("GET", "/api/v1/tokens")).isEqualTo(Role.ADMIN);
        assertThat(AccessRules.required("DELETE", "/api/v1/tokens/ci")).isEqualTo(Role.ADMIN);
        assertThat(AccessRules.required("GET", "/api/v1/tokensmith")).as("not the tokens collection, but not granted either").isEqualTo(Role.ADMIN);
    }

    @Test
    void whatIsNotGrantedNeedsAdmin() {
        assertThat(AccessRules.required("GET", "/api/v1/settings")).as("an unknown path").isEqualTo(Role.ADMIN);
        assertThat(AccessRules.required("POST", "/api/v1/settings")).isEqualTo(Role.ADMIN);
        assertThat(AccessRules.required("PATCH", "/api/v1/sources/x")).as("a method not granted").isEqualTo(Role.ADMIN);
        assertThat(AccessRules.required("TRACE", "/api/v1/sources")).isEqualTo(Role.ADMIN);
        assertThat(AccessRules.required("DELETE", "/api/v1/jobs/1")).isEqualTo(Role.ADMIN);
        assertThat(AccessRules.required("POST", "/api/v1/sources/x/y/check")).as("a deeper path").isEqualTo(Role.ADMIN);
        assertThat(AccessRules.required("GET", "/api/v1/sources/")).as("an empty name").isEqualTo(Role.ADMIN);
        assertThat(AccessRules.required("POST", "/metrics")).isEqualTo(Role.ADMIN);
        assertThat(AccessRules.required("GET", "/api/v1/openapi.json")).isEqualTo(Role.VIEWER);
        assertThat(AccessRules.required("GET", "/api/v1/route-files")).isEqualTo(Role.VIEWER);
        assertThat(AccessRules.required("POST", "/api/v1/apply")).isEqualTo(Role.EDITOR);
        assertThat(AccessRules.required("POST", "/api/v1/jobs/7/replay")).isEqualTo(Role.EDITOR);
        assertThat(AccessRules.required("POST", "/api/v1/connectors/http/test")).isEqualTo(Role.EDITOR);
        assertThat(AccessRules.required("POST", "/api/v1/connectors/faker/test")).isEqualTo(Role.ADMIN);
    }

    @Test
    void rolesIncludeTheOnesBelow() {
        assertThat(Role.ADMIN.includes(Role.EDITOR)).isTrue();
        assertThat(Role.EDITOR.includes(Role.VIEWER)).isTrue();
        assertThat(Role.VIEWER.includes(Role.EDITOR)).isFalse();
        assertThat(Role.EDITOR.includes(Role.ADMIN)).isFalse();
        assertThat(Role.parse("editor")).contains(Role.EDITOR);
        assertThat(Role.parse("Editor")).isEmpty();
        assertThat(Role.names()).isEqualTo("viewer, editor, admin");
    }

    @Test
    void credentialsFromBearerAndBasicHeaders() {
        assertThat(Credentials.parse("Bearer cvn_abc")).contains(new Credentials("", "cvn_abc"));
        assertThat(Credentials.parse("bearer  cvn_abc ")).contains(new Credentials("", "cvn_abc"));
        String basic = Base64.getEncoder().encodeToString("ci:cvn_x:y".getBytes(StandardCharsets.UTF_8));
        assertThat(Credentials.parse("Basic " + basic)).contains(new Credentials("ci", "cvn_x:y"));
        assertThat(Credentials.parse("Basic !!!")).isEmpty();
        assertThat(Credentials.parse("Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes(StandardCharsets.UTF_8)))).isEmpty();
        assertThat(Credentials.parse("Digest x")).isEmpty();
        assertThat(Credentials.parse("cvn_abc")).isEmpty();
        assertThat(Credentials.parse(null)).isEmpty();
        assertThat(new Credentials("ci", "cvn_secret").toString()).doesNotContain("cvn_secret");
    }

    @Test
    void tokenSecretsAreStoredAsSha256() {
        assertThat(TokenService.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
