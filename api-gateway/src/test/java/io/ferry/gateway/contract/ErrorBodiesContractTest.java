package io.ferry.gateway.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.gateway.app.IdentityService;
import io.ferry.gateway.app.PasswordHash;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests the fuzzer (GatewayFuzzIT) found answered without a fault body, over a real Tomcat: what Tomcat refuses
 * itself, what no controller maps, and exceptions thrown before a handler is chosen. Each answers a 4xx with Nova's
 * fault body, or Keystone's error body on the identity API, never an HTML page, Spring's default body or a 500.
 */
@SpringBootTest(classes = ContractTestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ErrorBodiesContractTest {

    private static final String PASSWORD = "pw-" + System.nanoTime();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    IdentityService identity;

    @DynamicPropertySource
    static void identityUsers(DynamicPropertyRegistry registry) {
        registry.add("ferry.identity.port", () -> "-1");
        registry.add("ferry.identity.projects[0].id", () -> "admin");
        registry.add("ferry.identity.projects[0].name", () -> "admin");
        registry.add("ferry.identity.users[0].name", () -> "admin");
        registry.add("ferry.identity.users[0].password-hash", () -> PasswordHash.hash(PASSWORD, new SecureRandom()));
        registry.add("ferry.identity.users[0].project", () -> "admin");
        registry.add("ferry.identity.users[0].roles", () -> "admin,member,reader");
    }

    private String token() {
        var outcome = identity.password(null, "admin", "Default", PASSWORD,
                new IdentityService.Scope.ProjectScope(null, "admin", "Default"));
        return ((IdentityService.Outcome.Issued) outcome).token().id();
    }

    private HttpResponse<String> send(String method, String path, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("X-Auth-Token", token())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertNovaFault(HttpResponse<String> response, int status, String fault) {
        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode body = JsonMapper.builder().build().readTree(response.body());
        assertThat(body.propertyNames()).containsExactly(fault);
        assertThat(body.get(fault).get("code").asInt()).isEqualTo(status);
        assertThat(body.get(fault).get("message").asString()).isNotBlank();
    }

    private static void assertKeystoneError(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode error = JsonMapper.builder().build().readTree(response.body()).get("error");
        assertThat(error.get("code").asInt()).isEqualTo(status);
        assertThat(error.get("title").asString()).isNotBlank();
        assertThat(error.get("message").asString()).isNotBlank();
    }

    @Test
    void anIdTomcatRefusesIsABadRequestFault() throws Exception {
        assertNovaFault(send("GET", "/v2.1/servers/a%00b", null, null), 400, "badRequest");
        assertNovaFault(send("GET", "/v2.1/servers/..%2F..%2Fos-services", null, null), 400, "badRequest");
        assertNovaFault(send("POST", "/v2.1/servers/..%5C..%5Cx/action", "application/json", "{}".getBytes()), 400,
                "badRequest");
    }

    @Test
    void anUnknownPathOrMethodIsAFault() throws Exception {
        assertNovaFault(send("GET", "/v2.1/no-such-thing", null, null), 404, "itemNotFound");
        assertNovaFault(send("DELETE", "/v2.1/os-migrations", null, null), 405, "badMethod");
        assertNovaFault(send("TRACE", "/v2.1/os-services", null, null), 405, "badMethod");
    }

    @Test
    void aBodyThatCannotBeParsedIsAClientFaultNotA500() throws Exception {
        // multipart without a boundary fails before any handler is chosen
        assertNovaFault(send("POST", "/v2.1/servers/x/action", "multipart/form-data", "{}".getBytes()), 415,
                "unsupportedMediaType");
        // a form whose bytes are not UTF-8
        assertNovaFault(send("POST", "/v2.1/servers/x/action", "application/x-www-form-urlencoded",
                new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, '{'}), 400, "badRequest");
    }

    @Test
    void theIdentityApiAnswersWithKeystonesErrorBody() throws Exception {
        assertKeystoneError(send("GET", "/identity/v3/users", null, null), 404);
        assertKeystoneError(send("PATCH", "/identity/v3/auth/tokens", "application/json",
                "{}".getBytes(StandardCharsets.UTF_8)), 405);
    }
}
