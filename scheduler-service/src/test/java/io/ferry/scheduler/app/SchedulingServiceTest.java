package io.ferry.scheduler.app;

import static io.ferry.scheduler.domain.Fixtures.CLOCK;
import static io.ferry.scheduler.domain.Fixtures.NOW;
import static io.ferry.scheduler.domain.Fixtures.aHost;
import static io.ferry.scheduler.domain.Fixtures.aRequest;
import static io.ferry.scheduler.domain.Fixtures.flavor;
import static io.ferry.scheduler.domain.Fixtures.gib;
import static io.ferry.scheduler.domain.Fixtures.host;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.scheduler.domain.ByteSize;
import io.ferry.scheduler.domain.MigrationId;
import io.ferry.scheduler.domain.claim.Claim;
import io.ferry.scheduler.domain.claim.ClaimLedger;
import io.ferry.scheduler.domain.claim.ClaimStatus;
import io.ferry.scheduler.domain.claim.ReleaseReason;
import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.DeviceKind;
import io.ferry.scheduler.domain.request.GuestDevice;
import io.ferry.scheduler.domain.request.RequestSpec;
import io.ferry.scheduler.domain.select.HostSelector;
import io.ferry.scheduler.domain.select.Scheduler;
import io.ferry.scheduler.domain.select.SchedulerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SchedulingServiceTest {

    private final ClaimLedger ledger = new ClaimLedger();
    private final FleetProjection fleet = new FleetProjection(ledger, Duration.ofSeconds(60));
    private final List<Claim> journal = new ArrayList<>();
    private final SchedulingService service = new SchedulingService(
            new Scheduler(HostSelector.create(SchedulerSettings.defaults(), CLOCK), ledger, 3), ledger, fleet,
            journal::add);
    private final RequestSpec eightGib = aRequest().flavor(flavor(2, gib(8), 20)).build();

    @Test
    void placesOnTheBestHostAndJournalsTheClaimBeforeAnswering() {
        // given two hosts, the second with more free RAM
        report(aHost("dest-1").withFreeRam(gib(16)).build());
        report(aHost("dest-2").withFreeRam(gib(64)).build());
        MigrationId migration = MigrationId.random();

        // when
        SchedulingService.Outcome outcome = service.place(migration, eightGib);

        // then
        assertThat(outcome).isEqualTo(new SchedulingService.Claimed(host("dest-2"), List.of(host("dest-1"))));
        assertThat(journal).singleElement().satisfies(claim -> {
            assertThat(claim.migration()).isEqualTo(migration);
            assertThat(claim.host()).isEqualTo(host("dest-2"));
            assertThat(claim.status()).isEqualTo(ClaimStatus.OPEN);
            assertThat(claim.instance()).isEqualTo(eightGib.instanceUuid());
        });
    }

    @Test
    void aClaimThatCannotBeJournalledIsNotAnnouncedAndARetryAnnouncesTheSameHost() {
        report(aHost("dest-1").withFreeRam(gib(16)).build());
        MigrationId migration = MigrationId.random();
        SchedulingService failing = new SchedulingService(
                new Scheduler(HostSelector.create(SchedulerSettings.defaults(), CLOCK), ledger, 3), ledger, fleet,
                claim -> { throw new IllegalStateException("broker down"); });

        assertThatThrownBy(() -> failing.place(migration, eightGib)).hasMessageContaining("broker down");
        SchedulingService.Outcome retried = service.place(migration, eightGib);

        assertThat(retried).isEqualTo(new SchedulingService.Claimed(host("dest-1"), List.of()));
        assertThat(journal).singleElement().extracting(Claim::status).isEqualTo(ClaimStatus.OPEN);
        assertThat(ledger.claimsOn(host("dest-1")).count()).isEqualTo(1);
    }

    @Test
    void aRescheduleThatIgnoresTheClaimedHostReleasesItAndClaimsAnother() {
        report(aHost("dest-1").withFreeRam(gib(64)).build());
        report(aHost("dest-2").withFreeRam(gib(16)).build());
        MigrationId migration = MigrationId.random();
        service.place(migration, eightGib);

        SchedulingService.Outcome again = service.place(migration,
                eightGib.toBuilder().ignoreHosts(Set.of(host("dest-1"))).build());

        assertThat(again).isEqualTo(new SchedulingService.Claimed(host("dest-2"), List.of()));
        assertThat(journal).extracting(Claim::host, Claim::status, Claim::releaseReason).containsExactly(
                org.assertj.core.groups.Tuple.tuple(host("dest-1"), ClaimStatus.OPEN, null),
                org.assertj.core.groups.Tuple.tuple(host("dest-1"), ClaimStatus.RELEASED, ReleaseReason.RESCHEDULED),
                org.assertj.core.groups.Tuple.tuple(host("dest-2"), ClaimStatus.OPEN, null));
        assertThat(ledger.claimsOn(host("dest-1")).isEmpty()).isTrue();
    }

    @Test
    void askingForAnAlternateMovesTheClaimThereInOneRequest() {
        report(aHost("dest-1").withFreeRam(gib(64)).build());
        report(aHost("dest-2").withFreeRam(gib(16)).build());
        MigrationId migration = MigrationId.random();
        service.place(migration, eightGib);

        SchedulingService.Outcome moved = service.place(migration, eightGib.toBuilder().requestedHost(host("dest-2")).build());

        assertThat(moved).isEqualTo(new SchedulingService.Claimed(host("dest-2"), List.of()));
        assertThat(ledger.claimsOn(host("dest-1")).isEmpty()).isTrue();
        assertThat(ledger.claim(migration)).get().extracting(Claim::attempt, Claim::host).containsExactly(2, host("dest-2"));
    }

    @Test
    void noValidHostNamesTheFiltersAndClaimsNothing() {
        report(aHost("dest-1").withFreeRam(gib(4)).build());
        report(aHost("dest-2").disabled("maintenance").build());

        SchedulingService.Outcome outcome = service.place(MigrationId.random(), eightGib);

        assertThat(outcome).isInstanceOfSatisfying(SchedulingService.Refused.class, refused -> {
            assertThat(refused.notLiveMigratable()).isFalse();
            assertThat(refused.reason()).contains("No valid host was found")
                    .contains("ComputeFilter: (start: 2, end: 1)").contains("RamFilter: (start: 1, end: 0)");
            assertThat(refused.filters()).anySatisfy(f -> {
                assertThat(f.filter()).isEqualTo("ComputeFilter");
                assertThat(f.sampleReason()).contains("dest-2").contains("maintenance");
            });
        });
        assertThat(journal).isEmpty();
    }

    @Test
    void anSrIovGuestIsRefusedAsNotLiveMigratable() {
        report(aHost("dest-1").build());

        SchedulingService.Outcome outcome = service.place(MigrationId.random(),
                eightGib.toBuilder().addDevice(new GuestDevice("port-1", DeviceKind.SRIOV_VF)).build());

        assertThat(outcome).isInstanceOfSatisfying(SchedulingService.Refused.class, refused -> {
            assertThat(refused.notLiveMigratable()).isTrue();
            assertThat(refused.reason()).contains("not live-migratable").contains("SR-IOV");
            assertThat(refused.filters()).isEmpty();
        });
    }

    @Test
    void aFailedMigrationReleasesItsClaimOnceAndARequestForItIsRefused() {
        report(aHost("dest-1").withFreeRam(gib(16)).build());
        MigrationId migration = MigrationId.random();
        service.place(migration, eightGib);

        service.migrationEnded(migration, MigrationEnd.FAILED, NOW, null);
        service.migrationEnded(migration, MigrationEnd.FAILED, NOW, null);
        SchedulingService.Outcome late = service.place(migration, eightGib);

        assertThat(journal).extracting(Claim::status).containsExactly(ClaimStatus.OPEN, ClaimStatus.RELEASED);
        assertThat(ledger.claimsOn(host("dest-1")).isEmpty()).isTrue();
        assertThat(late).isInstanceOfSatisfying(SchedulingService.Refused.class,
                refused -> assertThat(refused.reason()).contains("already ended"));
    }

    @Test
    void aCompletedMigrationsClaimCountsUntilTheDestinationReportsTheInstance() {
        // given a claim of 8 GiB on a host with 16 GiB free
        HostState dest = aHost("dest-1").withFreeRam(gib(16)).build();
        report(dest);
        MigrationId migration = MigrationId.random();
        service.place(migration, eightGib);

        // when the migration completes before the host reports the instance
        service.migrationEnded(migration, MigrationEnd.COMPLETED, NOW, host("dest-1"));

        // then the committed claim still holds the room: a second 8 GiB guest fits, a third does not
        assertThat(journal).extracting(Claim::status).containsExactly(ClaimStatus.OPEN, ClaimStatus.COMMITTED);
        assertThat(free(dest)).isEqualTo(8192);

        // when the host's next report counts the instance
        report(dest.toBuilder().withUsedRam(ByteSize.mib(dest.ramMb().used() + 8192))
                .reporting(eightGib.instanceUuid()).build(), NOW.plusSeconds(10));

        // then the instance is counted once, by the usage, and the claim is settled
        assertThat(ledger.claim(migration)).get().extracting(Claim::status).isEqualTo(ClaimStatus.SETTLED);
        assertThat(free(fleet.hosts().get(host("dest-1")))).isEqualTo(8192);
    }

    @Test
    void aCompletionAfterTheReportThatCountsTheInstanceSettlesAtOnce() {
        HostState dest = aHost("dest-1").withFreeRam(gib(16)).build();
        report(dest);
        MigrationId migration = MigrationId.random();
        service.place(migration, eightGib);
        report(dest.toBuilder().withUsedRam(ByteSize.mib(dest.ramMb().used() + 8192))
                .reporting(eightGib.instanceUuid()).build(), NOW.plusSeconds(10));

        service.migrationEnded(migration, MigrationEnd.COMPLETED, NOW.plusSeconds(11), null);

        assertThat(ledger.claim(migration)).get().extracting(Claim::status).isEqualTo(ClaimStatus.SETTLED);
        assertThat(free(fleet.hosts().get(host("dest-1")))).isEqualTo(8192);
    }

    @Test
    void aCompletionOnAnotherHostReleasesTheClaimInsteadOfCommittingTheWrongHost() {
        // given a claim on dest-1, and the conductor took the guest to an alternate without asking again
        report(aHost("dest-1").withFreeRam(gib(16)).build());
        MigrationId migration = MigrationId.random();
        service.place(migration, eightGib);

        // when the migration completes on dest-2
        service.migrationEnded(migration, MigrationEnd.COMPLETED, NOW, host("dest-2"));

        // then dest-1 is not charged for a guest it never got
        assertThat(ledger.claim(migration)).get().extracting(Claim::status, Claim::releaseReason)
                .containsExactly(ClaimStatus.RELEASED, ReleaseReason.RESCHEDULED);
        assertThat(ledger.claimsOn(host("dest-1")).isEmpty()).isTrue();
    }

    @Test
    void recoveredClaimsCountAsTheyDidBeforeTheRestart() {
        report(aHost("dest-1").withFreeRam(gib(16)).build());
        service.place(MigrationId.random(), eightGib);
        service.place(MigrationId.random(), eightGib.toBuilder().instance(UUID.randomUUID()).build());

        // when a new scheduler recovers the journal
        ClaimLedger restarted = new ClaimLedger();
        FleetProjection restartedFleet = new FleetProjection(restarted, Duration.ofSeconds(60));
        SchedulingService recovered = new SchedulingService(
                new Scheduler(HostSelector.create(SchedulerSettings.defaults(), CLOCK), restarted, 3), restarted,
                restartedFleet, claim -> { });
        journal.forEach(recovered::recover);
        restartedFleet.apply(new HostReport(aHost("dest-1").withFreeRam(gib(16)).build(), NOW, Map.of()));

        // then the host is full for it too
        assertThat(recovered.place(MigrationId.random(), eightGib.toBuilder().instance(UUID.randomUUID()).build()))
                .isInstanceOf(SchedulingService.Refused.class);
    }

    @Test
    void anOlderReportDoesNotReplaceANewerOne() {
        report(aHost("dest-1").withFreeRam(gib(16)).build(), NOW.plusSeconds(10));

        boolean applied = service.hostReported(new HostReport(aHost("dest-1").withFreeRam(gib(64)).build(), NOW, Map.of()));

        assertThat(applied).isFalse();
        assertThat(fleet.hosts().get(host("dest-1")).freeRamMb()).isEqualTo(16384);
    }

    private long free(HostState host) {
        return host.withClaims(ledger.claimsOn(host)).freeRamMb();
    }

    private void report(HostState host) {
        report(host, NOW);
    }

    private void report(HostState host, java.time.Instant at) {
        service.hostReported(new HostReport(host, at, Map.of()));
    }
}
