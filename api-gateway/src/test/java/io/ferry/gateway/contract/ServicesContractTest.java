package io.ferry.gateway.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.schemas.Topics;
import io.ferry.schemas.host.SetServiceStatus;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ServicesContractTest extends ContractTest {

    private JsonNode service(String host, String version) {
        for (JsonNode s : get("/v2.1/os-services?host=" + host, adminToken(), version).body().get("services")) {
            return s;
        }
        throw new AssertionError("no service on " + host);
    }

    private SetServiceStatus publishedCommand(String host) {
        assertThat(published.sent()).hasSize(1);
        assertThat(published.sent().getFirst().topic()).isEqualTo(Topics.hostCommands(host));
        return (SetServiceStatus) published.sent().getFirst().message();
    }

    @Test
    void listsComputeServicesWithIdsAndFieldsPerVersion() {
        JsonNode v21 = service("compute-1", "2.1");
        JsonNode v211 = service("compute-1", "2.11");
        JsonNode v253 = service("compute-1", "2.53");

        assertThat(v21.get("binary").asString()).isEqualTo("nova-compute");
        assertThat(v21.get("state").asString()).isEqualTo("up");
        assertThat(v21.get("zone").asString()).isEqualTo("nova");
        assertThat(v21.get("id").isIntegralNumber()).isTrue();
        assertThat(v21.has("forced_down")).isFalse();
        assertThat(v211.get("forced_down").asBoolean()).isFalse();
        assertThat(UUID.fromString(v253.get("id").asString())).isNotNull();
    }

    @Test
    void filtersByBinaryAndRefusesUnknownQueryParametersFrom275() {
        assertThat(get("/v2.1/os-services?binary=nova-scheduler", adminToken(), null).body().get("services"))
                .isEmpty();
        assertThat(get("/v2.1/os-services?colour=red", adminToken(), "2.74").status()).isEqualTo(200);
        assertThat(get("/v2.1/os-services?colour=red", adminToken(), "2.75").status()).isEqualTo(400);
    }

    @Test
    void forbidsServicesToAMember() {
        assertThat(get("/v2.1/os-services", memberToken(), null).status()).isEqualTo(403);
        Answer put = put("/v2.1/os-services/disable", memberToken(), "2.1",
                "{\"host\": \"compute-3\", \"binary\": \"nova-compute\"}");
        assertThat(put.status()).isEqualTo(403);
        assertThat(put.fault("forbidden")).contains("os_compute_api:os-services:update");
        nothingPublished();
    }

    @Test
    void disablesWithAReasonTheOldWayAndEnablesAgain() {
        Answer disabled = put("/v2.1/os-services/disable-log-reason", adminToken(), "2.1",
                "{\"host\": \"compute-3\", \"binary\": \"nova-compute\", \"disabled_reason\": \"maintenance\"}");

        assertThat(disabled.status()).isEqualTo(200);
        assertThat(disabled.body().at("/service/status").asString()).isEqualTo("disabled");
        assertThat(disabled.body().at("/service/disabled_reason").asString()).isEqualTo("maintenance");
        SetServiceStatus command = publishedCommand("compute-3");
        assertThat(command.getEnabled()).isFalse();
        assertThat(command.getDisabledReason()).isEqualTo("maintenance");
        assertThat(service("compute-3", "2.1").get("status").asString()).isEqualTo("disabled");
        assertThat(service("compute-3", "2.1").get("disabled_reason").asString()).isEqualTo("maintenance");

        published.clear();
        Answer enabled = put("/v2.1/os-services/enable", adminToken(), "2.1",
                "{\"host\": \"compute-3\", \"binary\": \"nova-compute\"}");

        assertThat(enabled.status()).isEqualTo(200);
        assertThat(enabled.body().at("/service/status").asString()).isEqualTo("enabled");
        assertThat(publishedCommand("compute-3").getEnabled()).isTrue();
        assertThat(service("compute-3", "2.1").get("disabled_reason").isNull()).isTrue();
    }

    @Test
    void refusesBadOldFormUpdates() {
        Answer noReason = put("/v2.1/os-services/disable-log-reason", adminToken(), "2.1",
                "{\"host\": \"compute-3\", \"binary\": \"nova-compute\"}");
        Answer unknownAction = put("/v2.1/os-services/reboot", adminToken(), "2.1",
                "{\"host\": \"compute-3\", \"binary\": \"nova-compute\"}");
        Answer forceDownEarly = put("/v2.1/os-services/force-down", adminToken(), "2.10",
                "{\"host\": \"compute-3\", \"binary\": \"nova-compute\"}");
        Answer scheduler = put("/v2.1/os-services/disable", adminToken(), "2.1",
                "{\"host\": \"compute-3\", \"binary\": \"nova-scheduler\"}");
        Answer unknownHost = put("/v2.1/os-services/disable", adminToken(), "2.1",
                "{\"host\": \"compute-99\", \"binary\": \"nova-compute\"}");
        Answer missingBinary = put("/v2.1/os-services/disable", adminToken(), "2.1", "{\"host\": \"compute-3\"}");

        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.fault("badRequest")).isEqualTo("Missing disabled reason field");
        assertThat(unknownAction.status()).isEqualTo(404);
        assertThat(unknownAction.fault("itemNotFound")).isEqualTo("Unknown action");
        assertThat(forceDownEarly.status()).isEqualTo(404);
        assertThat(scheduler.status()).isEqualTo(400);
        assertThat(scheduler.fault("badRequest")).contains("Only nova-compute services can be updated.");
        assertThat(unknownHost.status()).isEqualTo(404);
        assertThat(missingBinary.status()).isEqualTo(400);
        nothingPublished();
    }

    @Test
    void forcesDownFrom211() {
        Answer answer = put("/v2.1/os-services/force-down", adminToken(), "2.11",
                "{\"host\": \"compute-4\", \"binary\": \"nova-compute\", \"forced_down\": true}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().at("/service/forced_down").asBoolean()).isTrue();
        assertThat(publishedCommand("compute-4").getForcedDown()).isTrue();
        assertThat(service("compute-4", "2.11").get("state").asString()).isEqualTo("down");

        put("/v2.1/os-services/force-down", adminToken(), "2.11",
                "{\"host\": \"compute-4\", \"binary\": \"nova-compute\", \"forced_down\": false}");
        assertThat(service("compute-4", "2.11").get("state").asString()).isEqualTo("up");
    }

    @Test
    void updatesByServiceIdFrom253() {
        String id = service("compute-3", "2.53").get("id").asString();

        Answer disabled = put("/v2.1/os-services/" + id, adminToken(), "2.53",
                "{\"status\": \"disabled\", \"disabled_reason\": \"rack swap\"}");

        assertThat(disabled.status()).isEqualTo(200);
        assertThat(disabled.body().at("/service/id").asString()).isEqualTo(id);
        assertThat(disabled.body().at("/service/status").asString()).isEqualTo("disabled");
        assertThat(disabled.body().at("/service/disabled_reason").asString()).isEqualTo("rack swap");
        assertThat(disabled.body().at("/service/forced_down").asBoolean()).isFalse();
        assertThat(publishedCommand("compute-3").getDisabledReason()).isEqualTo("rack swap");

        published.clear();
        Answer enabled = put("/v2.1/os-services/" + id, adminToken(), "2.53", "{\"status\": \"enabled\"}");
        assertThat(enabled.status()).isEqualTo(200);
        assertThat(enabled.body().at("/service/disabled_reason").isNull()).isTrue();
    }

    @Test
    void refusesBadUpdatesByServiceId() {
        String id = service("compute-3", "2.53").get("id").asString();

        Answer enabledWithReason = put("/v2.1/os-services/" + id, adminToken(), "2.53",
                "{\"status\": \"enabled\", \"disabled_reason\": \"why\"}");
        Answer nothing = put("/v2.1/os-services/" + id, adminToken(), "2.53", "{}");
        Answer badStatus = put("/v2.1/os-services/" + id, adminToken(), "2.53", "{\"status\": \"sleeping\"}");
        Answer notUuid = put("/v2.1/os-services/disable", adminToken(), "2.53", "{\"status\": \"disabled\"}");
        Answer unknown = put("/v2.1/os-services/" + UUID.randomUUID(), adminToken(), "2.53",
                "{\"status\": \"disabled\"}");
        Answer extraKey = put("/v2.1/os-services/" + id, adminToken(), "2.53",
                "{\"status\": \"disabled\", \"host\": \"compute-3\"}");

        assertThat(enabledWithReason.status()).isEqualTo(400);
        assertThat(enabledWithReason.fault("badRequest"))
                .isEqualTo("Specifying 'disabled_reason' with status 'enabled' is invalid.");
        assertThat(nothing.status()).isEqualTo(400);
        assertThat(nothing.fault("badRequest")).startsWith("No updates were requested.");
        assertThat(badStatus.status()).isEqualTo(400);
        assertThat(notUuid.status()).isEqualTo(400);
        assertThat(notUuid.fault("badRequest")).isEqualTo("Invalid uuid disable");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(extraKey.status()).isEqualTo(400);
        nothingPublished();
    }
}
