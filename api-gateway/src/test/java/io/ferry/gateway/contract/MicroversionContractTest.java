package io.ferry.gateway.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

class MicroversionContractTest extends ContractTest {

    @Test
    void echoesTheNegotiatedVersionAndARequestId() {
        Answer answer = get("/v2.1/os-services", adminToken(), "2.53");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("OpenStack-API-Version")).isEqualTo("compute 2.53");
        assertThat(answer.header("X-OpenStack-Nova-API-Version")).isEqualTo("2.53");
        assertThat(answer.header("x-openstack-request-id")).startsWith("req-");
    }

    @Test
    void takesLatestAsTheNewestVersion() {
        assertThat(get("/v2.1/os-services", adminToken(), "latest").header("OpenStack-API-Version"))
                .isEqualTo("compute 2.92");
    }

    @Test
    void takesTheLegacyHeader() throws Exception {
        var response = mvc.perform(MockMvcRequestBuilders.get("/v2.1/os-services")
                .header("X-Auth-Token", adminToken()).header("X-OpenStack-Nova-API-Version", "2.11"))
                .andReturn().getResponse();

        assertThat(response.getHeader("X-OpenStack-Nova-API-Version")).isEqualTo("2.11");
        assertThat(response.getContentAsString()).contains("forced_down");
    }

    @Test
    void answersAVersionOutOfRangeWith406() {
        Answer tooNew = get("/v2.1/os-services", adminToken(), "2.93");
        Answer tooOld = get("/v2.1/os-services", adminToken(), "2.0");

        assertThat(tooNew.status()).isEqualTo(406);
        assertThat(tooNew.fault("notAcceptable")).contains("2.93").contains("2.92");
        assertThat(tooOld.status()).isEqualTo(406);
    }

    @Test
    void answersAnUnparsableVersionWith400() {
        Answer answer = get("/v2.1/os-services", adminToken(), "two");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.fault("badRequest")).contains("Invalid API version request string");
    }
}
