package io.ferry.conductor.adapter.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.conductor.domain.convergence.Bandwidth;
import io.ferry.conductor.domain.convergence.ByteSize;
import io.ferry.conductor.domain.drain.Drain;
import io.ferry.conductor.domain.drain.DrainCandidate;
import io.ferry.conductor.domain.drain.DrainEntry;
import io.ferry.conductor.domain.drain.DrainPlan;
import io.ferry.conductor.domain.drain.DrainPlanner;
import io.ferry.conductor.domain.drain.DrainSettings;
import io.ferry.schemas.codec.FerryCodec;
import io.ferry.schemas.migration.DrainRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrainMessagesTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void aRecordedDrainComesBackWithItsPlanRuleAndEveryGuest() {
        // given a planned drain of a database, an idle guest and one with an SR-IOV device
        List<DrainCandidate> guests = List.of(
                DrainCandidate.of("u-db", "db", ByteSize.ofGiB(8), Bandwidth.ofMBps(600)),
                DrainCandidate.of("u-idle", "idle", ByteSize.ofGiB(2), Bandwidth.ofMBps(1)),
                new DrainCandidate("u-nfv", "nfv", ByteSize.ofGiB(4), Bandwidth.ofMBps(40), List.of("0000:3b:00.1"),
                        "active", false));
        DrainPlan plan = new DrainPlanner(DrainSettings.defaults()).plan("compute-a", Bandwidth.ofMBps(1250), guests);
        Drain drain = Drain.planned(new Drain.Request("d-1", "compute-a", "kernel", false, true, "admin", "p"), plan,
                NOW);

        // when it is recorded, sent and read back
        DrainRecord record = (DrainRecord) FerryCodec.decode(FerryCodec.encode(DrainMessages.record(drain, "c", NOW)));
        Drain back = DrainMessages.drain(record, 2.0);

        // then
        assertThat(back.status()).isEqualTo(drain.status());
        assertThat(back.plan().rule()).isEqualTo(plan.rule());
        assertThat(back.migrations()).extracting(DrainEntry::name, DrainEntry::migrationUuid, DrainEntry::needed)
                .containsExactlyElementsOf(drain.migrations().stream()
                        .map(e -> org.assertj.core.groups.Tuple.tuple(e.name(), e.migrationUuid(), e.needed())).toList());
        assertThat(back.entries()).filteredOn(e -> !e.migrated()).singleElement()
                .satisfies(e -> assertThat(e.blocker()).contains("cold migrate"));
        assertThat(record.getStatus()).isEqualTo("running");
        assertThat(record.getInstances()).extracting(i -> i.getStatus()).containsExactly("planned", "planned", "skipped");
        assertThat(record.getStreamBandwidthBytesPerSec()).isZero();
    }

    @Test
    void theMeasuredPerStreamBandwidthThePlanUsedIsRecordedAndComesBackInItsRule() {
        // given a drain planned with a lone stream measured at 416 MB/s on a 1,250 MB/s NIC
        List<DrainCandidate> guests = List.of(DrainCandidate.of("u-1", "idle-1", ByteSize.ofGiB(2), Bandwidth.ofMBps(1)),
                DrainCandidate.of("u-2", "idle-2", ByteSize.ofGiB(2), Bandwidth.ofMBps(1)));
        DrainPlan plan = new DrainPlanner(DrainSettings.defaults())
                .plan("compute-a", Bandwidth.ofMBps(1250), Bandwidth.ofMBps(416), guests);
        Drain drain = Drain.planned(new Drain.Request("d-2", "compute-a", "kernel", false, true, "admin", "p"), plan,
                NOW);

        // when
        DrainRecord record = (DrainRecord) FerryCodec.decode(FerryCodec.encode(DrainMessages.record(drain, "c", NOW)));
        Drain back = DrainMessages.drain(record, 2.0);

        // then
        assertThat(record.getStreamBandwidthBytesPerSec()).isEqualTo(416_000_000L);
        assertThat(back.plan().rule()).isEqualTo(plan.rule());
        assertThat(back.plan().rule().oneStream()).isEqualTo(Bandwidth.ofMBps(416));
    }
}
