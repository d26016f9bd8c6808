package io.ferry.it;

import io.ferry.deploy.Rest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.deploy.FerryCluster;
import io.ferry.deploy.SimFleet;
import io.ferry.schemas.Topics;
import io.ferry.schemas.common.ServiceStatus;
import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.migration.LiveMigrate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway over a real broker: Keystone on its own port, the client files written at start, refusals that publish
 * nothing on {@code ferry.migration.commands}, and an os-services update that the host's agent applies.
 */
class GatewayIdentityIT {

    @TempDir
    static Path data;
    static FerryCluster cluster;
    static RecordingConsumer commands;
    static RecordingConsumer hostEvents;

    @BeforeAll
    static void startFerry() {
        cluster = FerryCluster.start(FerryCluster.Options.defaults(data).withBrokerPort(0).withGatewayPort(0)
                .withIdentityPort(0).withFleet(SimFleet.standard(2, 4)));
        commands = new RecordingConsumer(cluster.bootstrapServers(), List.of(Topics.MIGRATION_COMMANDS));
        hostEvents = new RecordingConsumer(cluster.bootstrapServers(), List.of(Topics.HOST_EVENTS));
    }

    @AfterAll
    static void stopFerry() throws InterruptedException {
        if (commands != null) {
            commands.close();
        }
        if (hostEvents != null) {
            hostEvents.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void servesKeystoneOnItsOwnPortAndNothingOfTheComputeApiThere() {
        Rest identity = new Rest(cluster.identityUrl());

        Rest.Response root = identity.get("/");
        Rest.Response v3 = identity.get("/v3");
        Rest.Response compute = identity.get("/v2.1/servers");

        assertThat(root.status()).isEqualTo(300);
        assertThat(v3.body().at("/version/links/0/href").asString()).isEqualTo(cluster.identityUrl() + "/v3/");
        assertThat(compute.status()).isEqualTo(404);
    }

    @Test
    void writesPrivateClientFilesWithBothUsers() throws Exception {
        Path clouds = data.resolve("clouds.yaml");
        Path openrc = data.resolve("openrc");

        assertThat(Files.readString(clouds)).contains("ferry-admin:", "ferry-member:",
                "auth_url: \"" + cluster.identityUrl() + "/v3\"", cluster.identity().member().password());
        assertThat(Files.readString(openrc)).contains("OS_AUTH_URL='" + cluster.identityUrl() + "/v3'");
        assertThat(Files.getPosixFilePermissions(clouds)).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(cluster.identity().admin().password()).hasSizeGreaterThanOrEqualTo(24)
                .isNotEqualTo(cluster.identity().member().password());
    }

    @Test
    void publishesNothingForARefusedMigration() {
        Rest member = new Rest(cluster.gatewayUrl()).withToken(Rest.token(cluster.identityUrl(), "member",
                cluster.identity().member().password(), "demo"));
        Rest admin = new Rest(cluster.gatewayUrl()).withToken(Rest.token(cluster.identityUrl(), "admin",
                cluster.identity().admin().password(), "admin"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(member.get("/v2.1/servers").body().get("servers")).hasSize(4));
        String server = member.get("/v2.1/servers").body().at("/servers/0/id").asString();

        Rest.Response forbidden = member.post("/v2.1/servers/" + server + "/action",
                "{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\"}}",
                "OpenStack-API-Version", "compute 2.30");
        Rest.Response badHost = admin.post("/v2.1/servers/" + server + "/action",
                "{\"os-migrateLive\": {\"host\": \"nowhere\", \"block_migration\": \"auto\"}}",
                "OpenStack-API-Version", "compute 2.30");
        Rest.Response noToken = new Rest(cluster.gatewayUrl()).post("/v2.1/servers/" + server + "/action",
                "{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\"}}");

        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(badHost.status()).isEqualTo(400);
        assertThat(noToken.status()).isEqualTo(401);
        // a later accepted request proves the recorder reads the topic
        Rest.Response accepted = admin.post("/v2.1/servers/" + server + "/action",
                "{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\"}}",
                "OpenStack-API-Version", "compute 2.30");
        assertThat(accepted.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(commands.messages(LiveMigrate.class)).isNotEmpty());
        assertThat(commands.messages(LiveMigrate.class)).singleElement()
                .satisfies(c -> assertThat(c.getInstanceUuid()).isEqualTo(server));
    }

    @Test
    void disablesAComputeServiceThroughItsAgent() {
        Rest admin = new Rest(cluster.gatewayUrl()).withToken(Rest.token(cluster.identityUrl(), "admin",
                cluster.identity().admin().password(), "admin"));

        Rest.Response response = admin.put("/v2.1/os-services/disable-log-reason",
                "{\"host\": \"compute-2\", \"binary\": \"nova-compute\", \"disabled_reason\": \"firmware\"}");

        assertThat(response.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(hostEvents.messages(HostInventory.class))
                .anySatisfy(h -> {
                    assertThat(h.getHost()).isEqualTo("compute-2");
                    assertThat(h.getServiceStatus()).isEqualTo(ServiceStatus.DISABLED);
                    assertThat(h.getDisabledReason()).isEqualTo("firmware");
                }));
    }
}
