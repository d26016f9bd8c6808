package io.ferry.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A small HTTP client for Ferry's REST APIs (compute, Keystone, Ferry's own), answering parsed JSON: what the demo,
 * the benchmarks and the integration tests use to act as an operator would.
 */
public final class Rest {

    public record Response(int status, JsonNode body, Map<String, java.util.List<String>> headers) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    public Rest(String base) {
        this(base, null);
    }

    private Rest(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** A client of the compute API at {@code gatewayUrl}, as the embedded identity's admin. */
    public static Rest asAdmin(String gatewayUrl, String identityUrl, LocalIdentity identity) {
        return new Rest(gatewayUrl).withToken(token(identityUrl, identity.admin().user(), identity.admin().password(),
                identity.admin().project()));
    }

    /** {@code value} (maps, lists, strings, numbers, booleans) as a JSON text. */
    public static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    /** The same client, sending {@code X-Auth-Token} on every call. */
    public Rest withToken(String authToken) {
        return new Rest(base, authToken);
    }

    /**
     * A project-scoped token from Keystone at {@code identityUrl} ({@code POST /v3/auth/tokens}).
     */
    public static String token(String identityUrl, String user, String password, String project) {
        Response response = new Rest(identityUrl).post("/v3/auth/tokens", """
                {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "%s",
                 "domain": {"name": "Default"}, "password": "%s"}}},
                 "scope": {"project": {"name": "%s", "domain": {"name": "Default"}}}}}""".formatted(user, password,
                project));
        if (response.status() != 201) {
            throw new IllegalStateException("no token for " + user + ": HTTP " + response.status());
        }
        return response.headers().get("x-subject-token").getFirst();
    }

    public Response put(String path, String json, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)), headers);
    }

    public Response get(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), headers);
    }

    public Response post(String path, String json, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), headers);
    }

    public Response delete(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), headers);
    }

    private Response send(HttpRequest.Builder builder, String... headers) {
        if (token != null) {
            builder.header("X-Auth-Token", token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = client.send(builder.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? null : JSON.readTree(response.body());
            return new Response(response.statusCode(), body, response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
