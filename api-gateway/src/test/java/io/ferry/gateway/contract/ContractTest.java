package io.ferry.gateway.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import io.ferry.gateway.app.DrainView;
import io.ferry.gateway.app.IdentityService;
import io.ferry.gateway.app.MigrationView;
import io.ferry.gateway.app.PasswordHash;
import io.ferry.messaging.readmodel.HostDirectory;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Contract tests drive the gateway's real filters and controllers through MockMvc, with the fleet of {@link Fleet}
 * in its read models and a {@link RecordingPublisher} where Kafka would be, so a test can assert that a refused
 * request published nothing.
 */
@SpringBootTest(classes = ContractTestApp.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK)
@AutoConfigureMockMvc
abstract class ContractTest {

    static final String ADMIN_PASSWORD = randomPassword();
    static final String MEMBER_PASSWORD = randomPassword();
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static boolean loaded;

    @Autowired
    MockMvc mvc;
    @Autowired
    RecordingPublisher published;
    @Autowired
    IdentityService identity;
    @Autowired
    HostDirectory hosts;
    @Autowired
    MigrationView migrations;
    @Autowired
    DrainView drains;

    @DynamicPropertySource
    static void identityUsers(DynamicPropertyRegistry registry) {
        SecureRandom random = new SecureRandom();
        registry.add("ferry.identity.port", () -> "-1");
        registry.add("ferry.service-down-time", () -> "3650d");
        registry.add("ferry.drain.dry-run-timeout", () -> "1s");
        registry.add("ferry.identity.projects[0].id", () -> "admin");
        registry.add("ferry.identity.projects[0].name", () -> "admin");
        registry.add("ferry.identity.projects[1].id", () -> "demo");
        registry.add("ferry.identity.projects[1].name", () -> "demo");
        registry.add("ferry.identity.users[0].name", () -> "admin");
        registry.add("ferry.identity.users[0].password-hash", () -> PasswordHash.hash(ADMIN_PASSWORD, random));
        registry.add("ferry.identity.users[0].project", () -> "admin");
        registry.add("ferry.identity.users[0].roles", () -> "admin,member,reader");
        registry.add("ferry.identity.users[1].name", () -> "member");
        registry.add("ferry.identity.users[1].password-hash", () -> PasswordHash.hash(MEMBER_PASSWORD, random));
        registry.add("ferry.identity.users[1].project", () -> "demo");
        registry.add("ferry.identity.users[1].roles", () -> "member,reader");
    }

    @BeforeEach
    void fleetAndCleanRecorder() {
        synchronized (ContractTest.class) {
            if (!loaded) {
                Fleet.load(hosts, migrations, System.currentTimeMillis());
                loaded = true;
            }
        }
        published.clear();
    }

    static String randomPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String adminToken;
    private static String memberToken;

    /** The admin's token (issued once: hashing a password takes a while by design). */
    synchronized String adminToken() {
        if (adminToken == null) {
            adminToken = token("admin", ADMIN_PASSWORD, "admin");
        }
        return adminToken;
    }

    synchronized String memberToken() {
        if (memberToken == null) {
            memberToken = token("member", MEMBER_PASSWORD, "demo");
        }
        return memberToken;
    }

    String freshMemberToken() {
        return token("member", MEMBER_PASSWORD, "demo");
    }

    private String token(String user, String password, String project) {
        var outcome = identity.password(null, user, "Default", password,
                new IdentityService.Scope.ProjectScope(null, project, "Default"));
        return ((IdentityService.Outcome.Issued) outcome).token().id();
    }

    /** The answer to a compute API call. */
    record Answer(int status, JsonNode body, MvcResult result) {
        String header(String name) {
            return result.getResponse().getHeader(name);
        }

        /** Nova's fault body: {@code {"<name>": {"code": status, "message": ...}}}; returns the message. */
        String fault(String name) {
            assertThat(body.has(name)).as("fault %s in %s", name, body).isTrue();
            assertThat(body.get(name).get("code").asInt()).isEqualTo(status);
            return body.get(name).get("message").asString();
        }
    }

    Answer call(HttpMethod method, String path, String token, String version, String json) {
        MockHttpServletRequestBuilder builder = request(method, path);
        if (token != null) {
            builder.header("X-Auth-Token", token);
        }
        if (version != null) {
            builder.header("OpenStack-API-Version", "compute " + version);
        }
        if (json != null) {
            builder.contentType(MediaType.APPLICATION_JSON).content(json);
        }
        try {
            MvcResult result = mvc.perform(builder).andReturn();
            String content = result.getResponse().getContentAsString();
            return new Answer(result.getResponse().getStatus(), content.isBlank() ? null : JSON.readTree(content),
                    result);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Answer get(String path, String token, String version) {
        return call(HttpMethod.GET, path, token, version, null);
    }

    Answer post(String path, String token, String version, String json) {
        return call(HttpMethod.POST, path, token, version, json);
    }

    Answer put(String path, String token, String version, String json) {
        return call(HttpMethod.PUT, path, token, version, json);
    }

    Answer delete(String path, String token, String version) {
        return call(HttpMethod.DELETE, path, token, version, null);
    }

    void nothingPublished() {
        assertThat(published.sent()).as("messages published for a refused request").isEmpty();
    }
}
