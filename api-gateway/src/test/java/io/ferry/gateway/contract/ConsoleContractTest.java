package io.ferry.gateway.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import tools.jackson.databind.JsonNode;

/** The console's page, its fleet document and its ticketed event stream. */
class ConsoleContractTest extends ContractTest {

    private MvcResult raw(String path) {
        try {
            return mvc.perform(MockMvcRequestBuilders.get(path)).andReturn();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void servesThePageAndItsModulesWithoutAToken() throws Exception {
        MvcResult root = raw("/console");
        MvcResult page = raw("/console/");
        MvcResult index = raw("/console/index.html");
        MvcResult module = raw("/console/console.js");

        assertThat(root.getResponse().getStatus()).isEqualTo(302);
        assertThat(root.getResponse().getRedirectedUrl()).isEqualTo("/console/");
        assertThat(page.getResponse().getForwardedUrl()).isEqualTo("/console/index.html");
        assertThat(index.getResponse().getStatus()).isEqualTo(200);
        assertThat(index.getResponse().getContentAsString()).contains("<form id=\"login\"");
        assertThat(module.getResponse().getStatus()).isEqualTo(200);
        assertThat(module.getResponse().getContentType()).contains("javascript");
        assertThat(module.getResponse().getContentAsString()).contains("followFleet");
        assertThat(raw("/console/missing.js").getResponse().getStatus()).isEqualTo(404);
    }

    @Test
    void servesThePageAndEveryAssetWithSecurityHeadersAndNoInlineCode() throws Exception {
        for (String path : List.of("/console", "/console/", "/console/index.html", "/console/console.js",
                "/console/api.js", "/console/view.js", "/console/console.css", "/console/missing.js")) {
            MockHttpServletResponse response = raw(path).getResponse();
            String csp = response.getHeader("Content-Security-Policy");
            assertThat(csp).as("CSP of %s", path).isNotNull().doesNotContain("unsafe-inline")
                    .doesNotContain("unsafe-eval").contains("default-src 'self'").contains("script-src 'self'")
                    .contains("style-src 'self'").contains("connect-src 'self'").contains("frame-ancestors 'none'")
                    .contains("base-uri 'none'").contains("form-action 'self'");
            assertThat(csp.split(";")).extracting(String::trim).filteredOn(d -> d.startsWith("img-src"))
                    .containsExactly("img-src 'self' data:");
            assertThat(response.getHeader("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
            assertThat(response.getHeader("Referrer-Policy")).as(path).isEqualTo("no-referrer");
            assertThat(response.getHeader("X-Frame-Options")).as(path).isEqualTo("DENY");
        }
        // and the page holds nothing the policy would block: no inline script, style or event handler
        String page = raw("/console/index.html").getResponse().getContentAsString();
        assertThat(page).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>")
                .doesNotContainPattern("(?i)<style|\\sstyle=|\\son[a-z]+=|javascript:");
        assertThat(raw("/console/").getResponse().getForwardedUrl()).isEqualTo("/console/index.html");
    }

    @Test
    void showsTheFleetToAnAdminOnly() {
        Answer fleet = get("/ferry/v1/fleet", adminToken(), null);

        assertThat(fleet.status()).isEqualTo(200);
        JsonNode compute1 = fleet.body().at("/hosts/0");
        assertThat(compute1.get("name").asString()).isEqualTo("compute-1");
        assertThat(compute1.get("status").asString()).isIn("enabled", "disabled");
        assertThat(compute1.get("state").asString()).isEqualTo("up");
        assertThat(compute1.get("memory_mb").asLong()).isEqualTo(131072);
        assertThat(compute1.get("vcpus").asInt()).isEqualTo(32);
        assertThat(compute1.get("service_id").asString()).hasSize(36);
        assertThat(compute1.get("servers")).extracting(s -> s.get("name").asString()).contains("web-1", "db-1");
        JsonNode running = null;
        for (JsonNode m : fleet.body().get("migrations")) {
            if (m.get("uuid").asString().equals(Fleet.RUNNING_MIGRATION)) {
                running = m;
            }
        }
        assertThat(running).isNotNull();
        assertThat(running.get("progress").asInt()).isEqualTo(25);
        assertThat(running.get("mode").asString()).isEqualTo("pre-copy");
        // in its first pass QEMU reports no dirty rate yet: the agent's measurement stands in, and says so
        assertThat(running.get("dirty_rate_bytes_per_sec").asLong()).isEqualTo(40_000_000L);
        assertThat(running.get("dirty_rate_source").asString()).isEqualTo("measured");
        assertThat(running.get("id").asLong()).isEqualTo(Fleet.RUNNING_ID);
        assertThat(fleet.body().get("migrations")).extracting(m -> m.get("status").asString())
                .doesNotContain("completed");
        assertThat(get("/ferry/v1/fleet", memberToken(), null).status()).isEqualTo(403);
        assertThat(get("/ferry/v1/fleet", null, null).status()).isEqualTo(401);
    }

    @Test
    void opensTheEventStreamWithAOneUseTicketBoughtWithTheToken() throws Exception {
        Answer ticket = post("/ferry/v1/events/tickets", adminToken(), null, null);
        assertThat(ticket.status()).isEqualTo(201);
        String value = ticket.body().at("/ticket/ticket").asString();
        assertThat(value).hasSizeGreaterThanOrEqualTo(43).doesNotContain(adminToken());

        MvcResult stream = raw("/ferry/v1/events?ticket=" + value);
        MvcResult replayed = raw("/ferry/v1/events?ticket=" + value);

        assertThat(stream.getResponse().getStatus()).isEqualTo(200);
        assertThat(stream.getResponse().getContentType()).startsWith("text/event-stream");
        assertThat(stream.getResponse().getContentAsString()).startsWith("event:fleet")
                .contains("\"name\":\"compute-1\"");
        assertThat(replayed.getResponse().getStatus()).isEqualTo(401);
        assertThat(raw("/ferry/v1/events").getResponse().getStatus()).isEqualTo(401);
        assertThat(raw("/ferry/v1/events?ticket=forged").getResponse().getStatus()).isEqualTo(401);
        assertThat(post("/ferry/v1/events/tickets", memberToken(), null, null).status()).isEqualTo(403);
        assertThat(post("/ferry/v1/events/tickets", null, null, null).status()).isEqualTo(401);
        nothingPublished();
    }
}
