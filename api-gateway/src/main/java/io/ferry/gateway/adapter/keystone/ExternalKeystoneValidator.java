package io.ferry.gateway.adapter.keystone;

import io.ferry.gateway.app.TokenValidator;
import io.ferry.gateway.domain.Principal;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Validates tokens against an existing Keystone ({@code GET /v3/auth/tokens} with a service token), the way
 * keystonemiddleware does, caching each answer for a short while. Thin: no revocation events, no PKI.
 */
public class ExternalKeystoneValidator implements TokenValidator {

    private static final Logger log = LoggerFactory.getLogger(ExternalKeystoneValidator.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private record Cached(Optional<Principal> principal, Instant until) {
    }

    private final URI tokens;
    private final String serviceToken;
    private final Duration cacheFor;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public ExternalKeystoneValidator(String keystoneUrl, String serviceToken, Duration cacheFor, Clock clock) {
        String base = keystoneUrl.endsWith("/") ? keystoneUrl.substring(0, keystoneUrl.length() - 1) : keystoneUrl;
        this.tokens = URI.create((base.endsWith("/v3") ? base : base + "/v3") + "/auth/tokens?nocatalog");
        this.serviceToken = serviceToken;
        this.cacheFor = cacheFor;
        this.clock = clock;
    }

    @Override
    public Optional<Principal> validate(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Cached cached = cache.get(token);
        if (cached != null && now.isBefore(cached.until())) {
            return cached.principal();
        }
        Optional<Principal> principal = ask(token);
        cache.put(token, new Cached(principal, now.plus(cacheFor)));
        return principal;
    }

    private Optional<Principal> ask(String token) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(tokens).timeout(Duration.ofSeconds(10))
                    .header("X-Auth-Token", serviceToken == null ? token : serviceToken)
                    .header("X-Subject-Token", token).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.of(principal(JSON.readTree(response.body()).path("token")));
        } catch (IOException e) {
            log.warn("cannot reach Keystone at {}: {}", tokens.getHost(), e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static Principal principal(JsonNode token) {
        List<String> roles = new ArrayList<>();
        token.path("roles").forEach(r -> roles.add(r.path("name").asString()));
        JsonNode project = token.path("project");
        return new Principal(token.path("user").path("id").asString(), token.path("user").path("name").asString(),
                token.path("user").path("domain").path("id").asString(),
                project.isObject() ? project.path("id").asString() : null,
                project.isObject() ? project.path("name").asString() : null,
                token.path("domain").isObject() ? token.path("domain").path("id").asString() : null, roles);
    }
}
