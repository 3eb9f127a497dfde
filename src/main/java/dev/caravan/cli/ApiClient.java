package dev.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The CLI's side of the REST API: sends a request, returns the body, turns API errors into readable messages. */
final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String token;

    ApiClient(String server) {
        this(server, null);
    }

    /** @param token the API token sent as a bearer token, or null (authentication off) */
    ApiClient(String server, String token) {
        String trimmed = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        this.base = trimmed.endsWith("/api/v1") ? trimmed : trimmed + "/api/v1";
        this.token = token == null || token.isBlank() ? null : token.trim();
    }

    JsonNode getJson(String path) {
        return json(send(HttpRequest.newBuilder(uri(path)).GET()));
    }

    String getText(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    JsonNode postJson(String path, String body) {
        return json(send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))));
    }

    JsonNode postYaml(String path, String body) {
        return json(send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(body))));
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private String send(HttpRequest.Builder request) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.timeout(Duration.ofHours(25)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new CaravanException(ErrorType.CONFIG, "Cannot reach the Caravan server at " + base
                    + "; start it with `caravan serve` or point --server (or CARAVAN_SERVER) at it");
        } catch (IOException e) {
            throw new CaravanException(ErrorType.TRANSIENT, "Request to " + base + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaravanException(ErrorType.TRANSIENT, "interrupted", e);
        }
        if (response.statusCode() == 401) {
            throw new CaravanException(ErrorType.CONFIG, "The server at " + base + " requires an API token: pass --token or set CARAVAN_TOKEN");
        }
        if (response.statusCode() >= 400) {
            throw new CaravanException(response.statusCode() >= 500 ? ErrorType.SYSTEM : ErrorType.CONFIG, describeError(response));
        }
        return response.body();
    }

    private static String describeError(HttpResponse<String> response) {
        try {
            JsonNode error = JSON.readTree(response.body());
            StringBuilder text = new StringBuilder(error.path("message").asText("HTTP " + response.statusCode()));
            if (error.has("problems") && error.get("problems").size() > 1 && !text.toString().contains("\n")) {
                error.get("problems").forEach(p -> text.append("\n  ").append(p.path("path").asText()).append(": ").append(p.path("fix").asText()));
            }
            return text.toString();
        } catch (IOException e) {
            return "HTTP " + response.statusCode() + ": " + response.body();
        }
    }

    private static JsonNode json(String text) {
        try {
            return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new CaravanException(ErrorType.SYSTEM, "The server answered something that is not JSON: " + text, e);
        }
    }
}
