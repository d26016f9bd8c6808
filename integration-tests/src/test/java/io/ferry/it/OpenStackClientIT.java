package io.ferry.it;

import io.ferry.deploy.Rest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.deploy.FerryCluster;
import io.ferry.deploy.SimFleet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The real clients against a running Ferry: Debian's {@code openstack} (python-openstackclient) and {@code nova}
 * (python-novaclient), as the admin and as the member, with the {@code clouds.yaml} and {@code openrc} that the
 * cluster writes. Assertions read the clients' parsed output ({@code -f json}; nova's tables).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenStackClientIT {

    private static final long BIG_MB = 4096;

    @TempDir
    static Path data;
    static FerryCluster cluster;
    static OpenStackClients cli;
    static Rest admin;
    static Path openrc;

    @BeforeAll
    static void startFerryAndInstallTheClients() {
        OpenStackClients.ensureInstalled();
        SimFleet fleet = new SimFleet(List.of(
                new SimFleet.Host("compute-a", 32, 131072, 1000, List.of(
                        new SimFleet.Vm("big-1", BIG_MB, 4, 40, "m1.xlarge", "database"),
                        new SimFleet.Vm("big-2", BIG_MB, 4, 40, "m1.xlarge", "database"),
                        new SimFleet.Vm("big-3", BIG_MB, 4, 40, "m1.xlarge", "database"),
                        new SimFleet.Vm("big-4", BIG_MB, 4, 40, "m1.xlarge", "database"))),
                new SimFleet.Host("compute-b", 64, 262144, 10000, List.of()),
                new SimFleet.Host("compute-c", 32, 65536, 10000, List.of(
                        new SimFleet.Vm("evac-1", 1024, 1, 10, "m1.tiny", "idle"),
                        new SimFleet.Vm("evac-2", 1024, 1, 10, "m1.tiny", "idle"))),
                new SimFleet.Host("compute-d", 32, 65536, 10000, List.of(
                        new SimFleet.Vm("mover", 1024, 1, 10, "m1.tiny", "web")))));
        cluster = FerryCluster.start(FerryCluster.Options.defaults(data).withBrokerPort(0).withGatewayPort(0)
                .withIdentityPort(0).withFleet(fleet).withSimSpeed(8.0)
                // Nova's fixed schedule keeps a non-converging migration running until the client acts on it
                .withProperties(Map.of("ferry.conductor.convergence-policy", "nova")));
        openrc = data.resolve("openrc");
        cli = new OpenStackClients(data, Map.of("OS_CLIENT_CONFIG_FILE", data.resolve("clouds.yaml").toString()));
        admin = new Rest(cluster.gatewayUrl()).withToken(Rest.token(cluster.identityUrl(), "admin",
                cluster.identity().admin().password(), "admin"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(admin.get("/v2.1/servers?all_tenants=1").body().get("servers")).hasSize(7));
    }

    @AfterAll
    static void stopFerry() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static OpenStackClients.Run asAdmin(String... args) {
        return cli.openstack(with("--os-cloud", "ferry-admin", args));
    }

    private static OpenStackClients.Run asMember(String... args) {
        return cli.openstack(with("--os-cloud", "ferry-member", args));
    }

    private static String[] with(String a, String b, String... rest) {
        List<String> all = new ArrayList<>(List.of(a, b));
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }

    private static String id(String name) {
        for (JsonNode s : admin.get("/v2.1/servers?all_tenants=1&name="
                + java.net.URLEncoder.encode("^" + name + "$", java.nio.charset.StandardCharsets.UTF_8)).body().get("servers")) {
            return s.get("id").asString();
        }
        throw new AssertionError("no server " + name);
    }

    private static String hostOf(String serverId) {
        return admin.get("/v2.1/servers/" + serverId).body().at("/server/OS-EXT-SRV-ATTR:host").asString();
    }

    /** The newest migration of a server, as os-migrations shows it. */
    private static JsonNode migrationOf(String serverId) {
        JsonNode list = admin.get("/v2.1/os-migrations?instance_uuid=" + serverId, "OpenStack-API-Version",
                "compute 2.80").body().get("migrations");
        return list.isEmpty() ? null : list.get(0);
    }

    private static long runningMigration(String serverId) {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            JsonNode m = migrationOf(serverId);
            assertThat(m).isNotNull();
            assertThat(m.get("status").asString()).isEqualTo("running");
        });
        return migrationOf(serverId).get("id").asLong();
    }

    private static void awaitStatus(String serverId, String status) {
        await().atMost(Duration.ofSeconds(180)).untilAsserted(() ->
                assertThat(migrationOf(serverId).get("status").asString()).isEqualTo(status));
    }

    @Test
    @Order(1)
    void recordsTheClientVersions() {
        String openstack = cli.openstack("--version").out() + cli.openstack("--version").err();
        String nova = cli.nova(openrc, "admin", "--version").out() + cli.nova(openrc, "admin", "--version").err();
        System.out.println("client versions: " + openstack.trim() + ", nova " + nova.trim());

        assertThat(openstack).contains("openstack 6.");
        assertThat(nova.trim()).startsWith("18.");
    }

    @Test
    @Order(2)
    void listsAndShowsServersAsTheAdminAndTheMember() {
        JsonNode onA = asAdmin("server", "list", "--all-projects", "--host", "compute-a", "-f", "json").json();
        JsonNode own = asAdmin("server", "list", "-f", "json").json();
        JsonNode members = asMember("server", "list", "-f", "json").json();
        JsonNode shown = asAdmin("server", "show", id("mover"), "-f", "json").json();
        JsonNode shownToMember = asMember("server", "show", id("mover"), "-f", "json").json();

        assertThat(onA.findValuesAsString("Name")).containsExactlyInAnyOrder("big-1", "big-2", "big-3", "big-4");
        assertThat(onA.findValuesAsString("Status")).containsOnly("ACTIVE");
        assertThat(own).isEmpty();
        assertThat(members).hasSize(7);
        assertThat(shown.get("OS-EXT-SRV-ATTR:host").asString()).isEqualTo("compute-d");
        assertThat(shown.get("OS-EXT-STS:vm_state").asString()).isEqualTo("active");
        assertThat(shown.get("project_id").asString()).isEqualTo("demo");
        assertThat(shownToMember.get("name").asString()).isEqualTo("mover");
        assertThat(shownToMember.has("OS-EXT-SRV-ATTR:host")).isFalse();
    }

    @Test
    @Order(3)
    void refusesTheAdminApisToTheMember() {
        OpenStackClients.Run services = asMember("compute", "service", "list", "-f", "json");
        OpenStackClients.Run hypervisors = asMember("hypervisor", "list", "-f", "json");
        OpenStackClients.Run migrations = cli.nova(openrc, "member", "migration-list");
        OpenStackClients.Run migrate = asMember("--os-compute-api-version", "2.30", "server", "migrate",
                "--live-migration", "--host", "compute-b", id("mover"));

        for (OpenStackClients.Run refused : List.of(services, hypervisors, migrations, migrate)) {
            assertThat(refused.exit()).isNotZero();
            assertThat(refused.err()).contains("403");
        }
        assertThat(migrationOf(id("mover"))).isNull();
    }

    @Test
    @Order(4)
    void listsAndDisablesComputeServices() {
        JsonNode services = asAdmin("compute", "service", "list", "-f", "json").json();
        assertThat(services.findValuesAsString("Host"))
                .containsExactlyInAnyOrder("compute-a", "compute-b", "compute-c", "compute-d");
        assertThat(services.findValuesAsString("State")).containsOnly("up");
        assertThat(services.findValuesAsString("Status")).containsOnly("enabled");

        assertThat(asAdmin("compute", "service", "set", "--disable", "--disable-reason", "new disks", "compute-c",
                "nova-compute").exit()).isZero();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode c = one(asAdmin("compute", "service", "list", "--host", "compute-c", "--long", "-f", "json")
                    .json());
            assertThat(c.get("Status").asString()).isEqualTo("disabled");
            assertThat(c.get("Disabled Reason").asString()).isEqualTo("new disks");
        });
        assertThat(asAdmin("--os-compute-api-version", "2.53", "compute", "service", "set", "--enable", "compute-c",
                "nova-compute").exit()).isZero();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(one(asAdmin("compute", "service",
                "list", "--host", "compute-c", "-f", "json").json()).get("Status").asString()).isEqualTo("enabled"));
    }

    private static JsonNode one(JsonNode list) {
        assertThat(list).hasSize(1);
        return list.get(0);
    }

    @Test
    @Order(5)
    void listsAndShowsHypervisors() {
        JsonNode list = asAdmin("hypervisor", "list", "-f", "json").json();
        JsonNode shown = asAdmin("hypervisor", "show", "compute-b", "-f", "json").json();

        assertThat(list.findValuesAsString("Hypervisor Hostname"))
                .containsExactlyInAnyOrder("compute-a", "compute-b", "compute-c", "compute-d");
        assertThat(list.findValuesAsString("State")).containsOnly("up");
        assertThat(shown.get("hypervisor_hostname").asString()).isEqualTo("compute-b");
        assertThat(shown.get("service_host").asString()).isEqualTo("compute-b");
        assertThat(shown.get("memory_mb").asLong()).isEqualTo(262144);
        assertThat(shown.get("running_vms").asInt()).isZero();
    }

    @Test
    @Order(6)
    void liveMigratesWithOpenstackAndWaits() {
        String mover = id("mover");

        OpenStackClients.Run run = asAdmin("--os-compute-api-version", "2.30", "server", "migrate",
                "--live-migration", "--host", "compute-b", "--wait", mover);

        assertThat(run.exit()).as(run.err()).isZero();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(hostOf(mover)).isEqualTo("compute-b"));
        JsonNode shown = asAdmin("server", "show", mover, "-f", "json").json();
        assertThat(shown.get("OS-EXT-SRV-ATTR:host").asString()).isEqualTo("compute-b");
        assertThat(shown.get("status").asString()).isEqualTo("ACTIVE");
        awaitStatus(mover, "completed");
    }

    @Test
    @Order(7)
    void listsShowsAndAbortsAMigrationWithOpenstack() {
        String big = id("big-1");
        assertThat(asAdmin("--os-compute-api-version", "2.30", "server", "migrate", "--live-migration", "--host",
                "compute-b", big).exit()).isZero();
        long mid = runningMigration(big);

        JsonNode listed = asAdmin("--os-compute-api-version", "2.59", "server", "migration", "list", "--server", big,
                "-f", "json").json();
        JsonNode shown = asAdmin("--os-compute-api-version", "2.24", "server", "migration", "show", big,
                String.valueOf(mid), "-f", "json").json();
        OpenStackClients.Run abort = asAdmin("--os-compute-api-version", "2.24", "server", "migration", "abort", big,
                String.valueOf(mid));

        assertThat(one(listed).get("Id").asLong()).isEqualTo(mid);
        assertThat(one(listed).get("Source Node").asString()).isEqualTo("compute-a");
        assertThat(one(listed).get("Type").asString()).isEqualTo("live-migration");
        assertThat(shown.get("Status").asString()).isEqualTo("running");
        assertThat(shown.get("Memory Total Bytes").asLong()).isEqualTo(BIG_MB << 20);
        assertThat(abort.exit()).as(abort.err()).isZero();
        awaitStatus(big, "cancelled");
        assertThat(hostOf(big)).isEqualTo("compute-a");
    }

    @Test
    @Order(8)
    void forceCompletesAMigrationWithOpenstack() {
        String big = id("big-2");
        assertThat(asAdmin("--os-compute-api-version", "2.30", "server", "migrate", "--live-migration", "--host",
                "compute-b", big).exit()).isZero();
        long mid = runningMigration(big);

        OpenStackClients.Run force = asAdmin("--os-compute-api-version", "2.22", "server", "migration", "force",
                "complete", big, String.valueOf(mid));

        assertThat(force.exit()).as(force.err()).isZero();
        awaitStatus(big, "completed");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(hostOf(big)).isEqualTo("compute-b"));
    }

    @Test
    @Order(9)
    void liveMigratesListsAndAbortsWithNova() {
        String big = id("big-3");
        assertThat(cli.nova(openrc, "admin", "live-migration", big, "compute-b").exit()).isZero();
        long mid = runningMigration(big);

        List<Map<String, String>> listed = cli.nova(openrc, "admin", "server-migration-list", big).table();
        OpenStackClients.Run abort = cli.nova(openrc, "admin", "live-migration-abort", big, String.valueOf(mid));

        assertThat(listed).singleElement().satisfies(row -> {
            assertThat(row.get("Id")).isEqualTo(String.valueOf(mid));
            assertThat(row.get("Status")).isEqualTo("running");
            assertThat(row.get("Source Compute")).isEqualTo("compute-a");
            assertThat(row.get("Dest Compute")).isEqualTo("compute-b");
        });
        assertThat(abort.exit()).as(abort.err()).isZero();
        awaitStatus(big, "cancelled");
    }

    @Test
    @Order(10)
    void forceCompletesWithNova() {
        String big = id("big-4");
        assertThat(cli.nova(openrc, "admin", "live-migration", big).exit()).isZero();
        long mid = runningMigration(big);

        OpenStackClients.Run force = cli.nova(openrc, "admin", "live-migration-force-complete", big,
                String.valueOf(mid));

        assertThat(force.exit()).as(force.err()).isZero();
        awaitStatus(big, "completed");
    }

    @Test
    @Order(11)
    void evacuatesAHostLiveWithNova() {
        String evac1 = id("evac-1");
        String evac2 = id("evac-2");

        List<Map<String, String>> accepted = cli.nova(openrc, "admin", "host-evacuate-live", "compute-c").table();

        assertThat(accepted).extracting(r -> r.get("Server UUID")).containsExactlyInAnyOrder(evac1, evac2);
        assertThat(accepted).extracting(r -> r.get("Live Migration Accepted")).containsOnly("True");
        awaitStatus(evac1, "completed");
        awaitStatus(evac2, "completed");
        assertThat(hostOf(evac1)).isNotEqualTo("compute-c");
        assertThat(hostOf(evac2)).isNotEqualTo("compute-c");
    }

    @Test
    @Order(12)
    void listsMigrationsWithNovaAndOpenstack() {
        List<Map<String, String>> nova = cli.nova(openrc, "admin", "migration-list").table();
        JsonNode openstack = asAdmin("--os-compute-api-version", "2.80", "server", "migration", "list",
                "--status", "cancelled", "-f", "json").json();

        assertThat(nova).extracting(r -> r.get("Instance UUID")).contains(id("mover"), id("big-1"), id("evac-1"));
        assertThat(nova).extracting(r -> r.get("Project ID")).containsOnly("demo");
        assertThat(nova).extracting(r -> r.get("Type")).containsOnly("live-migration");
        assertThat(openstack.findValuesAsString("Server UUID")).containsExactlyInAnyOrder(id("big-1"), id("big-3"));
    }
}
