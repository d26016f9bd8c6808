package io.ferry.scheduler.adapter.kafka;

import static io.ferry.scheduler.domain.Fixtures.CLOCK;
import static io.ferry.scheduler.domain.Fixtures.NOW;
import static io.ferry.scheduler.domain.Fixtures.aHost;
import static io.ferry.scheduler.domain.Fixtures.aRequest;
import static io.ferry.scheduler.domain.Fixtures.flavor;
import static io.ferry.scheduler.domain.Fixtures.gib;
import static io.ferry.scheduler.domain.Fixtures.host;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.schemas.Topics;
import io.ferry.schemas.codec.FerryCodec;
import io.ferry.schemas.codec.WriterSchemas;
import io.ferry.schemas.scheduler.ClaimRecord;
import io.ferry.scheduler.app.FleetProjection;
import io.ferry.scheduler.app.HostReport;
import io.ferry.scheduler.app.SchedulingService;
import io.ferry.scheduler.domain.MigrationId;
import io.ferry.scheduler.domain.claim.Claim;
import io.ferry.scheduler.domain.claim.ClaimLedger;
import io.ferry.scheduler.domain.select.HostSelector;
import io.ferry.scheduler.domain.select.Scheduler;
import io.ferry.scheduler.domain.select.SchedulerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.ferry.schemas.NewerWriter;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The claims replay decodes as the listeners do: a newer compatible writer's claim is restored via the registry. */
class SchedulerStartupTest {

    @Test
    void restoresAClaimWrittenByANewerCompatibleWriterFoundInTheSchemaRegistry() throws Exception {
        // given a claim on dest-1 as a newer scheduler wrote it (one more field, with a default), announced
        ClaimRecord written = aClaimOn("dest-1");
        Schema newer = NewerWriter.schema(written.getSchema(), "addedByTheClaimsReplayTest");
        byte[] bytes = NewerWriter.encode(newer, written, "addedByTheClaimsReplayTest");
        long fingerprint = FerryCodec.fingerprint(newer);
        WriterSchemas registry = fp -> fp == fingerprint ? Optional.of(newer) : Optional.empty();
        ClaimLedger ledger = new ClaimLedger();

        // when a restarted scheduler replays it
        boolean restored = startup(ledger, registry).restore(record(bytes));

        // then the claim counts again
        assertThat(restored).isTrue();
        assertThat(ledger.claimsOn(host("dest-1")).count()).isEqualTo(1);
    }

    @Test
    void skipsAClaimOfAWriterNobodyAnnounced() throws Exception {
        ClaimRecord written = aClaimOn("dest-1");
        Schema newer = NewerWriter.schema(written.getSchema(), "neverAnnouncedClaimField");
        ClaimLedger ledger = new ClaimLedger();

        boolean restored = startup(ledger, WriterSchemas.NONE)
                .restore(record(NewerWriter.encode(newer, written, "neverAnnouncedClaimField")));

        assertThat(restored).isFalse();
        assertThat(ledger.claimsOn(host("dest-1")).count()).isZero();
    }

    private static SchedulerStartup startup(ClaimLedger ledger, WriterSchemas writers) {
        SchedulingService service = new SchedulingService(
                new Scheduler(HostSelector.create(SchedulerSettings.defaults(), CLOCK), ledger, 3), ledger,
                new FleetProjection(ledger, Duration.ofSeconds(60)), claim -> { });
        return new SchedulerStartup(null, service, null, null, Duration.ofSeconds(1), writers);
    }

    /** A claim as the scheduler journals it: placed by a scheduler of this build. */
    private static ClaimRecord aClaimOn(String hostName) {
        ClaimLedger ledger = new ClaimLedger();
        FleetProjection fleet = new FleetProjection(ledger, Duration.ofSeconds(60));
        List<Claim> journal = new ArrayList<>();
        SchedulingService service = new SchedulingService(
                new Scheduler(HostSelector.create(SchedulerSettings.defaults(), CLOCK), ledger, 3), ledger, fleet,
                journal::add);
        service.hostReported(new HostReport(aHost(hostName).withFreeRam(gib(16)).build(), NOW, Map.of()));
        service.place(MigrationId.random(), aRequest().flavor(flavor(2, gib(8), 20)).build());
        return SchedulerMessages.record(journal.getFirst(), NOW.toEpochMilli());
    }

    private static ConsumerRecord<String, byte[]> record(byte[] value) {
        return new ConsumerRecord<>(Topics.SCHEDULER_CLAIMS, 0, 5, "key", value);
    }
}
