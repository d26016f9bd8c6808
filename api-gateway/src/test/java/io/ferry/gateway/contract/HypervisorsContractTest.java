package io.ferry.gateway.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class HypervisorsContractTest extends ContractTest {

    private JsonNode hypervisor(JsonNode list, String name) {
        for (JsonNode h : list) {
            if (h.get("hypervisor_hostname").asString().equals(name)) {
                return h;
            }
        }
        throw new AssertionError("no hypervisor " + name + " in " + list);
    }

    @Test
    void listsHypervisorsWithIntegerIdsThenUuidsFrom253() {
        JsonNode v21 = get("/v2.1/os-hypervisors", adminToken(), "2.1").body().get("hypervisors");
        JsonNode v253 = get("/v2.1/os-hypervisors", adminToken(), "2.53").body().get("hypervisors");

        assertThat(v21).hasSize(4);
        assertThat(hypervisor(v21, "compute-1").get("id").isIntegralNumber()).isTrue();
        assertThat(hypervisor(v21, "compute-1").get("state").asString()).isEqualTo("up");
        assertThat(hypervisor(v21, "compute-1").has("vcpus")).isFalse();
        assertThat(UUID.fromString(hypervisor(v253, "compute-1").get("id").asString())).isNotNull();
    }

    @Test
    void detailsCarryStatisticsUntil288AndCpuInfoAsAnObjectFrom228() {
        JsonNode v227 = hypervisor(get("/v2.1/os-hypervisors/detail", adminToken(), "2.27").body()
                .get("hypervisors"), "compute-1");
        JsonNode v228 = hypervisor(get("/v2.1/os-hypervisors/detail", adminToken(), "2.28").body()
                .get("hypervisors"), "compute-1");
        JsonNode v288 = hypervisor(get("/v2.1/os-hypervisors/detail", adminToken(), "2.88").body()
                .get("hypervisors"), "compute-1");

        assertThat(v227.get("cpu_info").isString()).isTrue();
        assertThat(v227.get("memory_mb").asLong()).isEqualTo(131072);
        assertThat(v227.get("running_vms").asInt()).isEqualTo(8);
        assertThat(v227.at("/service/host").asString()).isEqualTo("compute-1");
        assertThat(v228.at("/cpu_info/model").asString()).isEqualTo("Skylake-Server");
        assertThat(v288.has("vcpus")).isFalse();
        assertThat(v288.has("memory_mb")).isFalse();
        assertThat(v288.has("uptime")).isTrue();
    }

    @Test
    void showsOneByIdAndValidatesTheIdPerVersion() {
        JsonNode listed = hypervisor(get("/v2.1/os-hypervisors", adminToken(), "2.1").body().get("hypervisors"),
                "compute-2");
        JsonNode listed253 = hypervisor(get("/v2.1/os-hypervisors", adminToken(), "2.53").body().get("hypervisors"),
                "compute-2");

        Answer byInt = get("/v2.1/os-hypervisors/" + listed.get("id").asLong(), adminToken(), "2.1");
        Answer uuidTooEarly = get("/v2.1/os-hypervisors/" + listed253.get("id").asString(), adminToken(), "2.52");
        Answer intTooLate = get("/v2.1/os-hypervisors/" + listed.get("id").asLong(), adminToken(), "2.53");
        Answer withServers = get("/v2.1/os-hypervisors/" + listed253.get("id").asString() + "?with_servers=true",
                adminToken(), "2.53");
        Answer unknown = get("/v2.1/os-hypervisors/" + UUID.randomUUID(), adminToken(), "2.53");

        assertThat(byInt.status()).isEqualTo(200);
        assertThat(byInt.body().at("/hypervisor/hypervisor_hostname").asString()).isEqualTo("compute-2");
        assertThat(uuidTooEarly.status()).isEqualTo(404);
        assertThat(intTooLate.status()).isEqualTo(400);
        assertThat(intTooLate.fault("badRequest")).startsWith("Invalid uuid");
        assertThat(withServers.body().at("/hypervisor/servers").findValuesAsString("name"))
                .containsExactly("ops-1", "spare-1");
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void showsAnEmptyServersListOnlyFrom275() {
        String id = hypervisor(get("/v2.1/os-hypervisors", adminToken(), "2.53").body().get("hypervisors"),
                "compute-4").get("id").asString();

        assertThat(get("/v2.1/os-hypervisors/" + id + "?with_servers=1", adminToken(), "2.74").body()
                .at("/hypervisor").has("servers")).isFalse();
        assertThat(get("/v2.1/os-hypervisors/" + id + "?with_servers=1", adminToken(), "2.75").body()
                .at("/hypervisor/servers")).isEmpty();
    }

    @Test
    void searchesByHostnamePatternTheOldWayUntil252AndByQueryFrom253() {
        Answer search = get("/v2.1/os-hypervisors/compute-1/search", adminToken(), "2.52");
        Answer servers = get("/v2.1/os-hypervisors/compute-2/servers", adminToken(), "2.52");
        Answer gone = get("/v2.1/os-hypervisors/compute-1/search", adminToken(), "2.53");
        Answer query = get("/v2.1/os-hypervisors?hypervisor_hostname_pattern=compute-2&with_servers=True",
                adminToken(), "2.53");
        Answer none = get("/v2.1/os-hypervisors/nothing-here/search", adminToken(), "2.1");
        Answer paged = get("/v2.1/os-hypervisors?hypervisor_hostname_pattern=compute&limit=1", adminToken(), "2.53");

        assertThat(search.body().get("hypervisors").findValuesAsString("hypervisor_hostname"))
                .containsExactly("compute-1");
        assertThat(servers.body().at("/hypervisors/0/servers").findValuesAsString("uuid"))
                .containsExactly(Fleet.ADMINS, Fleet.SPARE);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(query.body().at("/hypervisors/0/servers")).hasSize(2);
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.fault("itemNotFound")).isEqualTo("No hypervisor matching 'nothing-here' could be found.");
        assertThat(paged.status()).isEqualTo(400);
    }

    @Test
    void pagesFrom233() {
        Answer first = get("/v2.1/os-hypervisors?limit=3", adminToken(), "2.33");
        String marker = first.body().at("/hypervisors/2/id").asString();
        Answer rest = get("/v2.1/os-hypervisors?marker=" + marker, adminToken(), "2.33");

        assertThat(first.body().get("hypervisors")).hasSize(3);
        assertThat(first.body().at("/hypervisors_links/0/href").asString()).contains("marker=" + marker);
        assertThat(rest.body().get("hypervisors")).hasSize(1);
        assertThat(get("/v2.1/os-hypervisors?marker=nope", adminToken(), "2.33").status()).isEqualTo(400);
    }

    @Test
    void sumsStatisticsUntil288() {
        Answer stats = get("/v2.1/os-hypervisors/statistics", adminToken(), "2.87");

        assertThat(stats.body().at("/hypervisor_statistics/count").asInt()).isEqualTo(4);
        assertThat(stats.body().at("/hypervisor_statistics/vcpus").asInt()).isEqualTo(128);
        assertThat(stats.body().at("/hypervisor_statistics/running_vms").asInt()).isEqualTo(11);
        assertThat(get("/v2.1/os-hypervisors/statistics", adminToken(), "2.88").status()).isEqualTo(404);
    }

    @Test
    void forbidsHypervisorsToAMember() {
        Answer answer = get("/v2.1/os-hypervisors/detail", memberToken(), null);

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.fault("forbidden")).contains("os_compute_api:os-hypervisors:list-detail");
    }
}
