package io.ferry.gateway.adapter.rest;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import io.ferry.gateway.app.ReadModelCatchUp;
import io.ferry.gateway.app.ReadModelCatchUp.Partition;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class CatchingUpFilterTest {

    private static final Partition MIGRATIONS_0 = new Partition("ferry.migrations", 0);

    private final ReadModelCatchUp catchUp = new ReadModelCatchUp();
    private final CatchingUpFilter filter = new CatchingUpFilter(catchUp);

    private MockHttpServletResponse get(String path) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(new MockHttpServletRequest("GET", path), response, chain);
        if (chain.getRequest() != null) {
            response.setStatus(299); // passed on to the controllers
        }
        return response;
    }

    @Test
    void answers503WithANovaFaultWhileTheReadModelsReplay() throws Exception {
        // given
        catchUp.target(Map.of(MIGRATIONS_0, 3L));

        // when
        MockHttpServletResponse response = get("/v2.1/servers/3f1c/migrations/7");

        // then
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("1");
        JsonNode fault = new JsonMapper().readTree(response.getContentAsString()).get("serviceUnavailable");
        assertThat(fault.get("code").asInt()).isEqualTo(503);
        assertThat(fault.get("message").asString()).contains("0 of 1 partitions");
    }

    @Test
    void passesEverythingOnOnceCaughtUp() throws Exception {
        // given
        catchUp.target(Map.of(MIGRATIONS_0, 3L));
        catchUp.handled(MIGRATIONS_0, 2);

        // then
        assertThat(get("/v2.1/servers/detail").getStatus()).isEqualTo(299);
        assertThat(get("/ferry/v1/drains").getStatus()).isEqualTo(299);
    }

    @Test
    void letsKeystoneTheVersionsAndTheConsolePageThroughWhileCatchingUp() throws Exception {
        assertThat(get("/identity/v3/auth/tokens").getStatus()).isEqualTo(299);
        assertThat(get("/v2.1/").getStatus()).isEqualTo(299);
        assertThat(get("/").getStatus()).isEqualTo(299);
        assertThat(get("/console/index.html").getStatus()).isEqualTo(299);
        assertThat(get("/ferry/v1/drains").getStatus()).isEqualTo(503);
    }
}
