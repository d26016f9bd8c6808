package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.deploy.FerryCluster;
import io.ferry.deploy.SimFleet;
import io.ferry.schemas.Envelopes;
import io.ferry.schemas.Topics;
import io.ferry.schemas.codec.FerryCodec;
import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.host.HostedInstance;
import io.ferry.schemas.migration.DrainHost;
import io.ferry.schemas.migration.DrainRecord;
import io.ferry.schemas.migration.DrainedInstance;
import io.ferry.schemas.migration.LiveMigrate;
import io.ferry.schemas.migration.MigrationRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Draining a host over a real broker: compute-a carries ten guests of mixed profiles (48 GiB) and one with an SR-IOV
 * device; three destinations of 24 GiB each can take them only if the scheduler spreads them. A DrainHost command on
 * {@code ferry.migration.commands} drains it.
 */
class DrainIT {

    private static final long DESTINATION_MB = 24576;

    @TempDir
    static Path data;
    static FerryCluster cluster;
    static RecordingConsumer recorder;
    static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void startFerry() {
        cluster = FerryCluster.start(FerryCluster.Options.defaults(data).withBrokerPort(0).withGatewayPort(0)
                .withFleet(SimFleet.drainTarget(3, DESTINATION_MB, true)).withSimSpeed(8.0)
                .withProperties(Map.of("ferry.agent.heartbeat-interval", "1s")));
        recorder = new RecordingConsumer(cluster.bootstrapServers(),
                List.of(Topics.DRAINS, Topics.MIGRATIONS, Topics.HOST_EVENTS, Topics.MIGRATION_COMMANDS));
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", cluster.bootstrapServers(), "acks", "all"),
                new StringSerializer(), new ByteArraySerializer());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(latestInventory("compute-a")).hasValueSatisfying(i -> assertThat(i.getInstances()).hasSize(11)));
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
    }

    @Test
    void drainsEveryLiveMigratableGuestOffTheHostWithinCapacityAndReportsTheOneThatCannotMove() throws Exception {
        // given the conductor plans compute-a (a dry run, repeated until its view of the fleet has the host)
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            String dryRun = publishDrain(true);
            DrainRecord plan = await().atMost(Duration.ofSeconds(10)).until(() -> latestDrain(dryRun),
                    Optional::isPresent).orElseThrow();
            return "planned".equals(plan.getStatus()) && plan.getInstances().size() == 11;
        });

        // when the operator drains compute-a
        String drainId = publishDrain(false);

        // then the drain record ends completed, every migration completed
        await().atMost(Duration.ofSeconds(45)).untilAsserted(() ->
                assertThat(latestDrain(drainId)).hasValueSatisfying(d -> assertThat(d.getStatus()).isEqualTo("completed")));
        DrainRecord done = latestDrain(drainId).orElseThrow();
        assertThat(done.getTotal()).isEqualTo(10);
        assertThat(done.getCompleted()).isEqualTo(10);
        assertThat(done.getLowerBoundMs()).isPositive();
        List<DrainedInstance> moved = done.getInstances().stream().filter(DrainedInstance::getMigratable).toList();
        assertThat(moved).hasSize(10).allSatisfy(i -> {
            assertThat(i.getStatus()).isEqualTo("completed");
            assertThat(i.getDestHost()).isNotNull().isNotEqualTo("compute-a");
            assertThat(i.getMigrationId()).isPositive();
        });

        // and the guest with the SR-IOV device is reported with the reason and the advice, not silently skipped
        assertThat(done.getInstances()).filteredOn(i -> !i.getMigratable()).singleElement().satisfies(i -> {
            assertThat(i.getName()).isEqualTo("nfv-1");
            assertThat(i.getStatus()).isEqualTo("skipped");
            assertThat(i.getReason()).contains("not live-migratable").contains("SR-IOV").contains("cold migrate");
        });

        // and each migration was its own LiveMigrate command tagged with the drain id (the dry runs started nothing)
        assertThat(recorder.messages(LiveMigrate.class)).filteredOn(c -> c.getDrainId() != null).hasSize(10)
                .allSatisfy(c -> assertThat(c.getDrainId()).isEqualTo(drainId));
        assertThat(recorder.messages(MigrationRecord.class)).filteredOn(r -> "completed".equals(r.getStatus()))
                .extracting(MigrationRecord::getUuid)
                .containsAll(moved.stream().map(DrainedInstance::getMigrationUuid).toList());

        // and the drained host's compute service is disabled with the drain's reason (its own agent reports it)
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            HostInventory drained = latestInventory("compute-a").orElseThrow();
            assertThat(drained.getServiceStatus()).isEqualTo(io.ferry.schemas.common.ServiceStatus.DISABLED);
            assertThat(drained.getDisabledReason()).isEqualTo("kernel upgrade");
        });

        // and the hosts' own reports agree: only the SR-IOV guest is left on compute-a, every guest is on another
        // host, and no destination ever reported more memory in use than it has
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(latestInventory("compute-a").orElseThrow().getInstances())
                    .extracting(h -> h.getSpec().getName()).containsExactly("nfv-1");
            List<String> elsewhere = List.of("compute-b", "compute-c", "compute-d").stream()
                    .flatMap(h -> latestInventory(h).orElseThrow().getInstances().stream())
                    .map(h -> h.getSpec().getName()).toList();
            assertThat(elsewhere).containsExactlyInAnyOrderElementsOf(
                    SimFleet.drainableGuests().stream().map(SimFleet.Vm::name).toList());
        });
        assertThat(recorder.messages(HostInventory.class)).filteredOn(i -> !i.getHost().equals("compute-a"))
                .isNotEmpty().allSatisfy(i -> assertThat(i.getMemoryMbUsed() + i.getMemoryMbReserved())
                        .as("memory in use on %s", i.getHost()).isLessThanOrEqualTo(i.getMemoryMb()));
        assertThat(List.of("compute-b", "compute-c", "compute-d")).allSatisfy(h -> {
            HostInventory last = latestInventory(h).orElseThrow();
            long guests = last.getInstances().stream().map(HostedInstance::getSpec).mapToLong(s -> s.getMemoryMb()).sum();
            assertThat(guests + last.getMemoryMbReserved()).as("guests' memory on %s", h).isLessThanOrEqualTo(DESTINATION_MB);
        });
    }

    private static String publishDrain(boolean dryRun) throws Exception {
        String drainId = UUID.randomUUID().toString();
        DrainHost drain = DrainHost.newBuilder()
                .setEnvelope(Envelopes.of(drainId, null, System.currentTimeMillis(), "it"))
                .setHost("compute-a").setReason("kernel upgrade").setDisableHost(true).setDrainId(drainId)
                .setDryRun(dryRun).setUserId("admin").setProjectId("admin").build();
        producer.send(new ProducerRecord<>(Topics.MIGRATION_COMMANDS, "compute-a", FerryCodec.encode(drain)))
                .get(10, TimeUnit.SECONDS);
        return drainId;
    }

    private static Optional<DrainRecord> latestDrain(String drainId) {
        return recorder.messages(DrainRecord.class).stream().filter(d -> d.getDrainId().equals(drainId))
                .reduce((a, b) -> b.getSequence() >= a.getSequence() ? b : a);
    }

    private static Optional<HostInventory> latestInventory(String host) {
        return recorder.messages(HostInventory.class).stream().filter(i -> i.getHost().equals(host))
                .reduce((a, b) -> b.getEnvelope().getEventTime() >= a.getEnvelope().getEventTime() ? b : a);
    }
}
