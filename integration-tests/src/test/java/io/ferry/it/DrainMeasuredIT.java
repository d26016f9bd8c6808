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
import io.ferry.schemas.migration.BlockMigration;
import io.ferry.schemas.migration.DrainHost;
import io.ferry.schemas.migration.DrainRecord;
import io.ferry.schemas.migration.DrainedInstance;
import io.ferry.schemas.migration.LiveMigrate;
import io.ferry.schemas.migration.MigrationRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * A drain planned from measured figures, over a real broker: compute-a's migration streams are bound by their
 * sending thread's CPU to a third of its 10 Gbit/s NIC (the simulator's per-stream ceiling). Once one stream ran
 * alone, compute-a's agent reports that figure; the conductor's plan uses it and runs several streams at once.
 */
class DrainMeasuredIT {

    private static final long NIC_BYTES_PER_SEC = 10_000L * 1_000_000 / 8;
    private static final long CEILING_MBPS = 3333;
    private static final long CEILING_BYTES_PER_SEC = CEILING_MBPS * 1_000_000 / 8;

    @TempDir
    static Path data;
    static FerryCluster cluster;
    static RecordingConsumer recorder;
    static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void startFerry() {
        List<SimFleet.Vm> guests = new ArrayList<>();
        guests.add(new SimFleet.Vm("probe-1", 4096, 2, 40, "m1.medium", "idle"));
        for (int i = 1; i <= 6; i++) {
            guests.add(new SimFleet.Vm("guest-" + i, 4096, 2, 40, "m1.medium", i % 3 == 0 ? "web" : "idle"));
        }
        SimFleet fleet = new SimFleet(List.of(
                new SimFleet.Host("compute-a", 32, 65536, 10000, guests),
                new SimFleet.Host("compute-b", 32, 65536, 10000, List.of()),
                new SimFleet.Host("compute-c", 32, 65536, 10000, List.of())));
        cluster = FerryCluster.start(FerryCluster.Options.defaults(data).withBrokerPort(0).withGatewayPort(0)
                .withFleet(fleet).withSimSpeed(8.0)
                .withProperties(Map.of("ferry.agent.heartbeat-interval", "1s",
                        "ferry.agent.sim.hosts[0].stream-ceiling-mbps", Long.toString(CEILING_MBPS))));
        recorder = new RecordingConsumer(cluster.bootstrapServers(),
                List.of(Topics.DRAINS, Topics.MIGRATIONS, Topics.HOST_EVENTS, Topics.MIGRATION_COMMANDS));
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", cluster.bootstrapServers(), "acks", "all"),
                new StringSerializer(), new ByteArraySerializer());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(latestInventory("compute-a")).hasValueSatisfying(i -> assertThat(i.getInstances()).hasSize(7)));
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
    void theDrainPlansWithThePerStreamBandwidthTheSourceMeasuredAndRunsSeveralStreamsAtOnce() throws Exception {
        // given nothing is known yet of what one stream from compute-a can do, but its guests' dirty rates are measured
        HostInventory before = latestInventory("compute-a").orElseThrow();
        assertThat(before.getStreamBandwidthBytesPerSec()).isZero();
        assertThat(before.getInstances()).filteredOn(i -> "web".equals(i.getSpec().getWorkload()))
                .isNotEmpty().allSatisfy(i -> assertThat(i.getDirtyRateBytesPerSec())
                        .as("web's 40 MB/s in calc-dirty-rate's whole MiB/s").isEqualTo(38L * 1024 * 1024));

        // when one guest migrates alone, compute-a reports the bandwidth its lone stream reached: the CPU ceiling
        String probe = before.getInstances().stream().map(HostedInstance::getSpec)
                .filter(s -> s.getName().equals("probe-1")).findFirst().orElseThrow().getUuid();
        String migration = UUID.randomUUID().toString();
        producer.send(new ProducerRecord<>(Topics.MIGRATION_COMMANDS, probe, FerryCodec.encode(LiveMigrate.newBuilder()
                .setEnvelope(Envelopes.of(migration, null, System.currentTimeMillis(), "it"))
                .setMigrationUuid(migration).setInstanceUuid(probe).setTargetHost("compute-b")
                .setBlockMigration(BlockMigration.AUTO).setRequestId(null).setUserId("admin").setProjectId("admin")
                .build()))).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(recorder.messages(MigrationRecord.class))
                .anySatisfy(r -> {
                    assertThat(r.getUuid()).isEqualTo(migration);
                    assertThat(r.getStatus()).isEqualTo("completed");
                }));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(latestInventory("compute-a"))
                .hasValueSatisfying(i -> assertThat(i.getStreamBandwidthBytesPerSec())
                        .isBetween(CEILING_BYTES_PER_SEC * 95 / 100, CEILING_BYTES_PER_SEC)));
        long measured = latestInventory("compute-a").orElseThrow().getStreamBandwidthBytesPerSec();

        // and the operator drains compute-a
        String drainId = UUID.randomUUID().toString();
        producer.send(new ProducerRecord<>(Topics.MIGRATION_COMMANDS, "compute-a", FerryCodec.encode(DrainHost.newBuilder()
                .setEnvelope(Envelopes.of(drainId, null, System.currentTimeMillis(), "it"))
                .setHost("compute-a").setReason("firmware").setDisableHost(true).setDrainId(drainId)
                .setDryRun(false).setUserId("admin").setProjectId("admin").build()))).get(10, TimeUnit.SECONDS);

        // then the drain completes, and its record says it planned with the measured per-stream bandwidth and
        // allowed enough streams to fill the NIC
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(latestDrain(drainId)).hasValueSatisfying(d -> assertThat(d.getStatus()).isEqualTo("completed")));
        DrainRecord done = latestDrain(drainId).orElseThrow();
        assertThat(done.getStreamBandwidthBytesPerSec()).isEqualTo(measured);
        assertThat(done.getNicBandwidthBytesPerSec()).isEqualTo(NIC_BYTES_PER_SEC);
        assertThat(done.getMaxStreams()).isGreaterThanOrEqualTo(3);
        assertThat(done.getInstances()).hasSize(6).allSatisfy(i -> assertThat(i.getStatus()).isEqualTo("completed"));
        assertThat(done.getInstances()).extracting(DrainedInstance::getPredictedStartMs)
                .filteredOn(start -> start == 0).hasSizeGreaterThanOrEqualTo(3);

        // and more than one stream left compute-a at once (its own agent reports its outgoing migrations)
        assertThat(recorder.messages(HostInventory.class)).filteredOn(i -> i.getHost().equals("compute-a"))
                .extracting(HostInventory::getMigrationsOut).anySatisfy(out -> assertThat(out).isGreaterThan(1));
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
