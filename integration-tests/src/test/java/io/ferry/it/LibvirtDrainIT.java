package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.agent.adapter.libvirt.TwoLibvirtDaemons;
import io.ferry.deploy.FerryCluster;
import io.ferry.deploy.Rest;
import io.ferry.deploy.SimFleet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A host drained on real hypervisors: two compute agents with the libvirt driver, each serving a real libvirtd on this
 * machine, three real QEMU guests on libvirt-a (two idle, one dirtying its memory), the drain asked for through
 * Ferry's REST API, and the host enabled again through Nova's os-services, as an operator's maintenance goes.
 */
class LibvirtDrainIT {

    private static final List<String> GUESTS = List.of("dr-idle-1", "dr-idle-2", "dr-dirty");

    @TempDir
    static Path data;
    static TwoLibvirtDaemons daemons;
    static FerryCluster cluster;
    static Rest api;

    @BeforeAll
    static void startFerryOnTwoRealHosts() {
        daemons = TwoLibvirtDaemons.start("drain");
        daemons.startIdleGuest("a", "dr-idle-1");
        daemons.startIdleGuest("a", "dr-idle-2");
        daemons.startDirtyingGuest("a", "dr-dirty");
        cluster = FerryCluster.start(FerryCluster.Options.defaults(data).withBrokerPort(0).withGatewayPort(0)
                .withFleet(new SimFleet(List.of())));
        for (String daemon : List.of("a", "b")) {
            Map<String, Object> agent = daemons.agentProperties(daemon);
            agent.put("ferry.agent.heartbeat-interval", "2s");
            agent.put("ferry.agent.libvirt.progress-interval", "250ms");
            cluster.startAgent(agent);
        }
        api = Rest.asAdmin(cluster.gatewayUrl(), cluster.identityUrl(), cluster.identity());
    }

    @AfterAll
    static void stopEverything() {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (daemons != null) {
                daemons.close();
            }
        }
    }

    @Test
    void drainingARealHostMovesEveryGuestToTheOtherHostDisablesItAndItIsEnabledAgainAfterTheMaintenance() {
        // given the three real guests listed on libvirt-a through the API
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(serversOn("libvirt-a"))
                .containsExactlyInAnyOrderElementsOf(GUESTS));

        // when an operator drains libvirt-a through Ferry's API
        long started = System.nanoTime();
        Rest.Response accepted = api.post("/ferry/v1/hosts/libvirt-a/drain",
                "{\"reason\": \"kernel upgrade (real hypervisors)\"}");
        assertThat(accepted.status()).as("%s", accepted.body()).isEqualTo(202);
        String drainId = accepted.body().path("drain").path("id").asString();

        // then the drain completes with every guest migrated to libvirt-b
        AtomicReference<JsonNode> drain = new AtomicReference<>();
        await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
            drain.set(api.get("/ferry/v1/drains/" + drainId).body().path("drain"));
            assertThat(drain.get().path("status").asString()).isIn("completed", "failed", "stopped");
        });
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(drain.get().path("status").asString()).as("%s", drain.get()).isEqualTo("completed");
        List<String> moved = new ArrayList<>();
        for (JsonNode instance : drain.get().path("instances")) {
            assertThat(instance.path("status").asString()).as("%s", instance).isEqualTo("completed");
            assertThat(instance.path("dest_host").asString()).isEqualTo("libvirt-b");
            moved.add(instance.path("name").asString());
        }
        assertThat(moved).containsExactlyInAnyOrderElementsOf(GUESTS);
        assertThat(drain.get().path("excluded")).isEmpty();
        assertThat(drain.get().path("progress").asInt()).isEqualTo(100);

        // and the domains run on libvirt-b's daemon only
        assertThat(daemons.runningDomains("b")).containsAll(GUESTS);
        assertThat(daemons.runningDomains("a")).doesNotContainAnyElementsOf(GUESTS);

        // and the API shows them on libvirt-b, ACTIVE, and libvirt-a disabled with the drain's reason
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(serversOn("libvirt-b")).containsAll(GUESTS);
            assertThat(serversOn("libvirt-a")).isEmpty();
        });
        JsonNode service = service("libvirt-a");
        assertThat(service.path("status").asString()).isEqualTo("disabled");
        assertThat(service.path("disabled_reason").asString()).isEqualTo("kernel upgrade (real hypervisors)");
        System.out.printf("Ferry drained a real host of %d guests in %d ms: up to %d streams, lower bound %d ms%n",
                moved.size(), tookMs, drain.get().path("max_streams").asInt(), drain.get().path("lower_bound_ms").asLong());

        // when the maintenance is done, the operator enables the host again as in Nova
        Rest.Response enabled = api.put("/v2.1/os-services/" + service.path("id").asString(),
                "{\"status\": \"enabled\"}", "OpenStack-API-Version", "compute 2.53");

        // then it is enabled, without a reason
        assertThat(enabled.status()).as("%s", enabled.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode now = service("libvirt-a");
            assertThat(now.path("status").asString()).isEqualTo("enabled");
            assertThat(now.path("disabled_reason").isNull()).isTrue();
        });
    }

    private static List<String> serversOn(String host) {
        List<String> names = new ArrayList<>();
        for (JsonNode server : api.get("/v2.1/servers/detail?all_tenants=1").body().path("servers")) {
            if (host.equals(server.path("OS-EXT-SRV-ATTR:host").asString())
                    && "ACTIVE".equals(server.path("status").asString())) {
                names.add(server.path("name").asString());
            }
        }
        return names;
    }

    private static JsonNode service(String host) {
        JsonNode services = api.get("/v2.1/os-services?binary=nova-compute&host=" + host,
                "OpenStack-API-Version", "compute 2.53").body().path("services");
        assertThat(services).hasSize(1);
        return services.get(0);
    }
}
