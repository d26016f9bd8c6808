package io.ferry.gateway.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ServersContractTest extends ContractTest {

    private static List<String> names(Answer answer) {
        List<String> names = new java.util.ArrayList<>();
        answer.body().get("servers").forEach(s -> names.add(s.get("name").asString()));
        return names;
    }

    @Test
    void showsAMemberOnlyItsProjectsServersAndIgnoresTheHostFilter() {
        Answer answer = get("/v2.1/servers?host=compute-2", memberToken(), null);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(names(answer)).contains("web-1", "spare-1", "queue-1").doesNotContain("ops-1");
    }

    @Test
    void showsAnAdminItsOwnProjectUnlessAllTenantsIsAsked() {
        assertThat(names(get("/v2.1/servers", adminToken(), null))).containsExactly("ops-1");
        assertThat(names(get("/v2.1/servers/detail?all_tenants=1&host=compute-2", adminToken(), null)))
                .containsExactly("ops-1", "spare-1");
    }

    @Test
    void forbidsAllTenantsToAMember() {
        Answer answer = get("/v2.1/servers/detail?all_tenants=True", memberToken(), null);

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.fault("forbidden")).contains("os_compute_api:servers:index:get_all_tenants");
    }

    @Test
    void filtersByNameAndStatus() {
        assertThat(names(get("/v2.1/servers?all_tenants=1&name=^web-[12]$", adminToken(), null)))
                .containsExactly("web-1", "web-2");
        assertThat(names(get("/v2.1/servers/detail?all_tenants=1&status=SHUTOFF", adminToken(), null)))
                .containsExactly("stopped-1");
    }

    @Test
    void pagesWithLimitAndMarker() {
        Answer first = get("/v2.1/servers?all_tenants=1&limit=2", adminToken(), null);
        String marker = first.body().at("/servers/1/id").asString();
        Answer second = get("/v2.1/servers?all_tenants=1&limit=2&marker=" + marker, adminToken(), null);

        assertThat(names(first)).containsExactly("db-1", "ops-1");
        assertThat(first.body().at("/servers_links/0/rel").asString()).isEqualTo("next");
        assertThat(first.body().at("/servers_links/0/href").asString()).contains("marker=" + marker);
        assertThat(names(second)).containsExactly("paused-1", "queue-1");
    }

    @Test
    void refusesAnUnknownMarkerAndABadLimit() {
        Answer marker = get("/v2.1/servers?all_tenants=1&marker=" + Fleet.UNKNOWN, adminToken(), null);
        Answer limit = get("/v2.1/servers?limit=many", adminToken(), null);
        Answer negative = get("/v2.1/servers?limit=-1", adminToken(), null);

        assertThat(marker.status()).isEqualTo(400);
        assertThat(marker.fault("badRequest")).isEqualTo("marker [" + Fleet.UNKNOWN + "] not found");
        assertThat(limit.status()).isEqualTo(400);
        assertThat(negative.status()).isEqualTo(400);
    }

    @Test
    void showsAdminsTheHostAndTaskStateOfAMigratingServer() {
        JsonNode server = get("/v2.1/servers/" + Fleet.RUNNING, adminToken(), null).body().get("server");

        assertThat(server.get("OS-EXT-SRV-ATTR:host").asString()).isEqualTo("compute-1");
        assertThat(server.get("OS-EXT-SRV-ATTR:hypervisor_hostname").asString()).isEqualTo("compute-1");
        assertThat(server.get("OS-EXT-STS:task_state").asString()).isEqualTo("migrating");
        assertThat(server.get("OS-EXT-STS:vm_state").asString()).isEqualTo("active");
        assertThat(server.get("OS-EXT-STS:power_state").asInt()).isEqualTo(1);
        assertThat(server.get("status").asString()).isEqualTo("MIGRATING");
    }

    @Test
    void hidesTheHostFromAMemberButShowsItsServer() {
        JsonNode server = get("/v2.1/servers/" + Fleet.ACTIVE, memberToken(), null).body().get("server");

        assertThat(server.get("OS-EXT-STS:vm_state").asString()).isEqualTo("active");
        assertThat(server.has("OS-EXT-SRV-ATTR:host")).isFalse();
    }

    @Test
    void answersNotFoundForAnotherProjectsServer() {
        Answer answer = get("/v2.1/servers/" + Fleet.ADMINS, memberToken(), null);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.fault("itemNotFound")).contains("could not be found");
    }

    @Test
    void embedsTheFlavorFrom247() {
        assertThat(get("/v2.1/servers/" + Fleet.ACTIVE, adminToken(), "2.46").body().at("/server/flavor/id")
                .asString()).isEqualTo("m1.small");
        assertThat(get("/v2.1/servers/" + Fleet.ACTIVE, adminToken(), "2.47").body()
                .at("/server/flavor/original_name").asString()).isEqualTo("m1.small");
    }
}
