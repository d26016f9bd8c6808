package io.ferry.it;

import io.ferry.deploy.Rest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.deploy.FerryCluster;
import io.ferry.deploy.KafkaBroker;
import io.ferry.deploy.SimFleet;
import io.ferry.schemas.Envelopes;
import io.ferry.schemas.Topics;
import io.ferry.schemas.codec.FerryCodec;
import io.ferry.schemas.common.InstanceSpec;
import io.ferry.schemas.common.ServiceStatus;
import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.migration.MigrationRecord;
import io.ferry.schemas.scheduler.ClaimRecord;
import io.ferry.schemas.scheduler.ClaimState;
import io.ferry.schemas.scheduler.DestinationClaimed;
import io.ferry.schemas.scheduler.FilterOutcome;
import io.ferry.schemas.scheduler.NoValidHost;
import io.ferry.schemas.scheduler.SelectDestination;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The scheduler's decisions over a real broker: the filters keep disabled, forced-down and too-small hosts out,
 * NoValidHost fails the migration with Nova's filter summary as its reason, and claims outlive the scheduler.
 *
 * <p>The fleet: {@code compute-src} runs three 24 GiB guests; {@code compute-small} (16 GiB) is too small for one;
 * {@code compute-roomy} (40 GiB, 1 GiB used) has room for exactly one. Two more hosts with 256 GiB free are
 * reported directly on {@code ferry.host.events}, as an agent would: {@code compute-maint} disabled for maintenance
 * and {@code compute-fenced} forced down; the RAM weigher would prefer both, the ComputeFilter must not let it.
 *
 * <p>The tests run in order and share the claims they make. The restart stops every service of the cluster and
 * starts them again on the same broker and data directory (the broker, started here, keeps running): the new
 * scheduler knows only what Kafka kept.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchedulerPlacementIT {

    private static final long BIG_MB = 24576;
    private static final int KNOWN_DESTINATIONS = 4; // every host but the source
    private static final String FIRST = UUID.randomUUID().toString();

    @TempDir
    static Path data;
    static KafkaBroker broker;
    static FerryCluster.Options options;
    static FerryCluster cluster;
    static RecordingConsumer recorder;
    static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void startFerry() {
        broker = KafkaBroker.onFreePort(data.resolve("kafka")).start();
        SimFleet fleet = new SimFleet(List.of(
                new SimFleet.Host("compute-src", 32, 131072, 10000, List.of(big("big-1"), big("big-2"), big("big-3"))),
                new SimFleet.Host("compute-small", 16, 16384, 10000, List.of()),
                new SimFleet.Host("compute-roomy", 16, 40960, 10000, List.of(
                        new SimFleet.Vm("tiny", 1024, 1, 1, "m1.tiny", "idle")))));
        options = FerryCluster.Options.defaults(data).withExternalBootstrap(broker.bootstrapServers())
                .withGatewayPort(0).withFleet(fleet);
        cluster = FerryCluster.start(options);
        recorder = new RecordingConsumer(broker.bootstrapServers(),
                List.of(Topics.SCHEDULER_REPLIES, Topics.SCHEDULER_CLAIMS, Topics.MIGRATIONS));
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(), "acks", "all"),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stopFerry() throws InterruptedException {
        if (producer != null) {
            producer.close();
        }
        if (recorder != null) {
            recorder.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    @Order(1)
    void claimsTheOnlyEnabledUpHostWithRoomAndNeverADisabledForcedDownOrTooSmallOne() {
        // given the scheduler knows every host, the disabled and forced-down ones with 256 GiB free
        reportUnavailableHosts();
        NoValidHost probe = awaitSchedulerSees(KNOWN_DESTINATIONS);
        assertThat(outcome(probe, "ComputeFilter")).satisfies(f -> {
            assertThat(f.getHostsBefore() - f.getHostsAfter()).isEqualTo(2);
            assertThat(f.getSampleReason()).containsAnyOf("compute-maint: compute service disabled: maintenance",
                    "compute-fenced: compute service forced down");
        });

        // when it is asked for a destination for a 24 GiB guest, with room for five alternates
        SpecificRecordBase reply = select(FIRST, "big-1", 5);

        // then it claims compute-roomy, and offers no alternate: no other host may take the guest
        assertThat(reply).isInstanceOfSatisfying(DestinationClaimed.class, claimed -> {
            assertThat(claimed.getHost()).isEqualTo("compute-roomy");
            assertThat(claimed.getAlternates()).isEmpty();
        });
        // and the claim is on the claims log before the reply
        assertThat(claims(FIRST)).first().satisfies(claim -> {
            assertThat(claim.getStatus()).isEqualTo(ClaimState.CLAIMED);
            assertThat(claim.getHost()).isEqualTo("compute-roomy");
            assertThat(claim.getMemoryMb()).isEqualTo(BIG_MB);
            assertThat(claim.getInstanceUuid()).isEqualTo(uuidOf("big-1"));
        });
    }

    @Test
    @Order(2)
    void noValidHostFailsTheMigrationWithTheFilterSummaryAsItsReason() {
        // given compute-roomy's room is claimed, and the other hosts are unavailable or too small
        reportUnavailableHosts();
        Rest api = Rest.asAdmin(cluster.gatewayUrl(), cluster.identityUrl(), cluster.identity());
        String server = serverId(api, "big-2");

        // when an operator live-migrates big-2 without naming a host
        Rest.Response accepted = api.post("/v2.1/servers/" + server + "/action",
                "{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\"}}",
                "X-OpenStack-Nova-API-Version", "2.30");

        // then the migration fails, and its reason is Nova's NoValidHost with what each filter removed
        assertThat(accepted.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(records(uuidOf("big-2")))
                .extracting(MigrationRecord::getStatus).containsExactly("queued", "preparing", "failed"));
        MigrationRecord failed = records(uuidOf("big-2")).getLast();
        assertThat(failed.getReason())
                .contains("No valid host was found")
                .contains("ComputeFilter: (start: 4, end: 2)")
                .contains("RamFilter: (start: 2, end: 0)");
        assertThat(failed.getDestHost()).isNull();
        assertThat(claims(failed.getUuid())).as("nothing was claimed for it").isEmpty();
    }

    @Test
    @Order(3)
    void claimsSurviveARestartAndEndWithTheirMigrations() {
        // given the scheduler (with every other service) is stopped and started again on the same broker
        cluster.close();
        cluster = FerryCluster.start(options);
        reportUnavailableHosts();
        awaitSchedulerSees(KNOWN_DESTINATIONS);

        // when it is asked to place another 24 GiB guest
        SpecificRecordBase whileClaimed = select(UUID.randomUUID().toString(), "big-3", 2);

        // then the claim made before the restart still holds compute-roomy's room
        assertThat(whileClaimed).isInstanceOfSatisfying(NoValidHost.class, none -> {
            assertThat(outcome(none, "RamFilter").getHostsBefore()).isEqualTo(2);
            assertThat(outcome(none, "RamFilter").getHostsAfter()).isZero();
            assertThat(none.getReason()).contains("RamFilter: (start: 2, end: 0)");
        });

        // when the first migration fails (the conductor records it)
        publishMigration(FIRST, "big-1", "failed");

        // then its claim is released on the log, and the room can be claimed again
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(claims(FIRST)).last()
                .satisfies(claim -> {
                    assertThat(claim.getStatus()).isEqualTo(ClaimState.RELEASED);
                    assertThat(claim.getReleaseReason()).isEqualTo("failed");
                }));
        String third = UUID.randomUUID().toString();
        assertThat(select(third, "big-3", 2)).isInstanceOfSatisfying(DestinationClaimed.class,
                claimed -> assertThat(claimed.getHost()).isEqualTo("compute-roomy"));

        // when that migration completes, but compute-roomy's reports do not show the instance yet
        publishMigration(third, "big-3", "completed");

        // then the committed claim keeps counting: the room is still taken
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(claims(third)).last()
                .extracting(ClaimRecord::getStatus).isEqualTo(ClaimState.COMMITTED));
        assertThat(select(UUID.randomUUID().toString(), "big-2", 2)).isInstanceOf(NoValidHost.class);
    }

    // ---- helpers

    private static SimFleet.Vm big(String name) {
        return new SimFleet.Vm(name, BIG_MB, 4, 40, "m1.big", "idle");
    }

    private static String uuidOf(String vm) {
        return UUID.nameUUIDFromBytes(("ferry-sim:" + vm).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static InstanceSpec spec(String vm, long memoryMb) {
        return InstanceSpec.newBuilder().setUuid(uuidOf(vm)).setName(vm).setFlavorName("m1.big")
                .setMemoryMb(memoryMb).setVcpus(4).setDiskGb(40).setAvailabilityZone(null).setCpuModel(null)
                .setServerGroup(null).setServerGroupPolicy(null).setWorkload(null).build();
    }

    /** Asks the scheduler directly, as the conductor does; the conductor ignores replies for migrations it does not run. */
    private static SpecificRecordBase select(String migration, String vm, int alternates) {
        return ask(migration, spec(vm, BIG_MB), alternates, Duration.ofSeconds(60))
                .orElseThrow(() -> new AssertionError("no reply for " + migration));
    }

    private static Optional<SpecificRecordBase> ask(String migration, InstanceSpec instance, int alternates,
                                                    Duration wait) {
        send(Topics.SCHEDULER_REQUESTS, migration, SelectDestination.newBuilder()
                .setEnvelope(Envelopes.of(migration, null, System.currentTimeMillis(), "it"))
                .setMigrationUuid(migration).setInstance(instance).setSourceHost("compute-src").setForcedHost(null)
                .setIgnoreHosts(List.of("compute-src")).setMaxAlternates(alternates).build());
        try {
            return await().atMost(wait).pollInterval(Duration.ofMillis(100)).until(() -> recorder
                    .messages(SpecificRecordBase.class).stream()
                    .filter(m -> (m instanceof DestinationClaimed c && c.getMigrationUuid().equals(migration))
                            || (m instanceof NoValidHost n && n.getMigrationUuid().equals(migration)))
                    .findFirst(), Optional::isPresent);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return Optional.empty();
        }
    }

    /**
     * Sends probes for a guest no host can take (1 TiB) until the scheduler answers and its first filter saw
     * {@code hosts} candidates: it is up, has read the claims and the state, and knows every host.
     */
    private static NoValidHost awaitSchedulerSees(int hosts) {
        return (NoValidHost) await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> ask(UUID.randomUUID().toString(), spec("probe", 1 << 20), 0, Duration.ofSeconds(20))
                        .orElse(null), reply -> reply instanceof NoValidHost none && !none.getFilters().isEmpty()
                        && none.getFilters().getFirst().getHostsBefore() == hosts);
    }

    private static FilterOutcome outcome(NoValidHost reply, String filter) {
        return reply.getFilters().stream().filter(f -> f.getFilter().equals(filter)).findFirst()
                .orElseThrow(() -> new AssertionError(filter + " not in " + reply.getFilters()));
    }

    /** Reports the two unavailable hosts with fresh heartbeats, as their agents would. */
    private static void reportUnavailableHosts() {
        long now = System.currentTimeMillis();
        send(Topics.HOST_EVENTS, "compute-maint", unavailable("compute-maint", now)
                .setServiceStatus(ServiceStatus.DISABLED).setDisabledReason("maintenance").build());
        send(Topics.HOST_EVENTS, "compute-fenced", unavailable("compute-fenced", now).setForcedDown(true).build());
    }

    private static HostInventory.Builder unavailable(String host, long now) {
        return HostInventory.newBuilder().setEnvelope(Envelopes.of(host, null, now, "it/" + host))
                .setHost(host).setNode(host).setAvailabilityZone(null).setServiceStatus(ServiceStatus.ENABLED)
                .setDisabledReason(null).setHeartbeatAt(now).setVcpus(64).setVcpusUsed(0)
                .setMemoryMb(262144 + 512).setMemoryMbUsed(0).setDiskGb(4000).setDiskGbUsed(0)
                .setCpuModel("Skylake-Server-IBRS");
    }

    private static void publishMigration(String migration, String vm, String status) {
        long now = System.currentTimeMillis();
        send(Topics.MIGRATIONS, migration, MigrationRecord.newBuilder()
                .setEnvelope(Envelopes.of(migration, null, now, "it")).setId(Math.abs(migration.hashCode()))
                .setUuid(migration).setInstance(spec(vm, BIG_MB)).setStatus(status).setSequence(9)
                .setSourceHost("compute-src").setSourceNode("compute-src").setDestHost("compute-roomy")
                .setDestNode("compute-roomy").setRequestedHost(null).setCreatedAt(now).setUpdatedAt(now)
                .setReason(null).setVmLocation(null).setOperatorAction(null).build());
    }

    private static void send(String topic, String key, SpecificRecordBase message) {
        try {
            producer.send(new ProducerRecord<>(topic, key, FerryCodec.encode(message))).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    private static List<ClaimRecord> claims(String migration) {
        return recorder.messages(ClaimRecord.class).stream()
                .filter(c -> c.getMigrationUuid().equals(migration)).toList();
    }

    private static List<MigrationRecord> records(String instanceUuid) {
        return recorder.messages(MigrationRecord.class).stream()
                .filter(r -> r.getInstance().getUuid().equals(instanceUuid)).toList();
    }

    private static String serverId(Rest api, String name) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (JsonNode server : api.get("/v2.1/servers/detail?all_tenants=1").body().get("servers")) {
                if (server.get("name").asText().equals(name)) {
                    return server.get("id").asText();
                }
            }
            return null;
        }, id -> id != null);
    }
}
