package io.ferry.gateway.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

class IdentityContractTest extends ContractTest {

    private static final String PROJECT_AUTH = """
            {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "%s",
             "domain": {"name": "Default"}, "password": "%s"}}},
             "scope": {"project": {"name": "%s", "domain": {"id": "default"}}}}}""";

    @Test
    void discoversTheV3Api() {
        Answer root = get("/identity", null, null);
        Answer v3 = get("/identity/v3", null, null);

        assertThat(root.status()).isEqualTo(300);
        assertThat(root.body().at("/versions/values/0/id").asString()).isEqualTo("v3.14");
        assertThat(v3.status()).isEqualTo(200);
        assertThat(v3.body().at("/version/status").asString()).isEqualTo("stable");
        assertThat(v3.body().at("/version/links/0/href").asString()).endsWith("/identity/v3/");
    }

    @Test
    void issuesAProjectScopedTokenWithRolesAndACatalogPointingAtTheGateway() {
        Answer answer = post("/identity/v3/auth/tokens", null, null,
                PROJECT_AUTH.formatted("admin", ADMIN_PASSWORD, "admin"));

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.header("X-Subject-Token")).isNotBlank();
        assertThat(answer.body().at("/token/user/name").asString()).isEqualTo("admin");
        assertThat(answer.body().at("/token/project/id").asString()).isEqualTo("admin");
        assertThat(answer.body().at("/token/roles").findValuesAsString("name")).contains("admin", "member");
        assertThat(answer.body().at("/token/expires_at").asString()).matches("\\d{4}-.*Z");
        assertThat(answer.body().at("/token/catalog").findValuesAsString("type")).contains("compute", "identity");
        assertThat(answer.body().at("/token/catalog/0/endpoints/0/url").asString()).endsWith("/v2.1");
        assertThat(answer.body().toString()).doesNotContain(ADMIN_PASSWORD);
    }

    @Test
    void issuesADomainScopedToken() {
        Answer answer = post("/identity/v3/auth/tokens", null, null, """
                {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin",
                 "domain": {"id": "default"}, "password": "%s"}}}, "scope": {"domain": {"id": "default"}}}}"""
                .formatted(ADMIN_PASSWORD));

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.body().at("/token/domain/id").asString()).isEqualTo("default");
        assertThat(answer.body().at("/token").has("project")).isFalse();
    }

    @Test
    void refusesAWrongPasswordWithKeystonesErrorAndNoToken() {
        Answer answer = post("/identity/v3/auth/tokens", null, null,
                PROJECT_AUTH.formatted("admin", "not-" + ADMIN_PASSWORD, "admin"));

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.body().at("/error/code").asInt()).isEqualTo(401);
        assertThat(answer.body().at("/error/title").asString()).isEqualTo("Unauthorized");
        assertThat(answer.header("X-Subject-Token")).isNull();
    }

    @Test
    void refusesAMemberScopingToAProjectItHasNoRoleOn() {
        Answer answer = post("/identity/v3/auth/tokens", null, null,
                PROJECT_AUTH.formatted("member", MEMBER_PASSWORD, "admin"));

        assertThat(answer.status()).isEqualTo(401);
    }

    @Test
    void answersMalformedJsonWithBadRequest() {
        Answer answer = post("/identity/v3/auth/tokens", null, null, "{\"auth\": ");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().at("/error/code").asInt()).isEqualTo(400);
    }

    @Test
    void answersAMethodThatIsNotAStringWithBadRequestNotAServerError() {
        // (found by GatewayFuzzIT, seed 43339590398832)
        Answer answer = post("/identity/v3/auth/tokens", null, null, """
                {"auth": {"identity": {"methods": [["nova-compute", false], null],
                 "password": {"user": 99999999999999999999999999999999}}}}""");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().at("/error/code").asInt()).isEqualTo(400);
        assertThat(answer.body().at("/error/message").asString()).contains("identity/methods/0");
    }

    @Test
    void validatesARevokesATokenAndTheComputeApiThenRefusesIt() throws Exception {
        // given
        String admin = adminToken();
        String member = freshMemberToken();

        // when the admin validates the member's token
        var validated = mvc.perform(MockMvcRequestBuilders.get("/identity/v3/auth/tokens")
                .header("X-Auth-Token", admin).header("X-Subject-Token", member)).andReturn().getResponse();
        // and the member tries to validate the admin's
        var refused = mvc.perform(MockMvcRequestBuilders.get("/identity/v3/auth/tokens")
                .header("X-Auth-Token", member).header("X-Subject-Token", admin)).andReturn().getResponse();

        // then
        assertThat(validated.getStatus()).isEqualTo(200);
        assertThat(validated.getHeader("X-Subject-Token")).isEqualTo(member);
        assertThat(validated.getContentAsString()).contains("\"name\":\"member\"");
        assertThat(refused.getStatus()).isEqualTo(403);

        // when the member revokes its own token
        var revoked = mvc.perform(MockMvcRequestBuilders.delete("/identity/v3/auth/tokens")
                .header("X-Auth-Token", member).header("X-Subject-Token", member)).andReturn().getResponse();

        // then it is gone for identity and compute alike
        assertThat(revoked.getStatus()).isEqualTo(204);
        var again = mvc.perform(MockMvcRequestBuilders.get("/identity/v3/auth/tokens")
                .header("X-Auth-Token", admin).header("X-Subject-Token", member)).andReturn().getResponse();
        assertThat(again.getStatus()).isEqualTo(404);
        assertThat(get("/v2.1/servers", member, null).status()).isEqualTo(401);
    }

    @Test
    void refusesTheComputeApiWithoutATokenOrWithABadOne() {
        Answer none = get("/v2.1/servers", null, null);
        Answer bad = call(HttpMethod.POST, "/v2.1/servers/" + Fleet.ACTIVE + "/action", "forged", "2.30",
                "{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\"}}");

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.body().at("/error/message").asString())
                .isEqualTo("The request you have made requires authentication.");
        assertThat(none.header("WWW-Authenticate")).startsWith("Keystone uri=");
        assertThat(none.header("x-openstack-request-id")).startsWith("req-");
        assertThat(bad.status()).isEqualTo(401);
        nothingPublished();
    }

    @Test
    void servesTheComputeVersionDocumentsWithoutAToken() {
        Answer versions = get("/", null, null);
        Answer v21 = get("/v2.1", null, null);

        assertThat(versions.status()).isEqualTo(200);
        assertThat(versions.body().at("/versions/0/version").asString()).isEqualTo("2.92");
        assertThat(v21.body().at("/version/min_version").asString()).isEqualTo("2.1");
    }
}
