package io.ferry.scheduler.domain.claim;

import static io.ferry.scheduler.domain.Fixtures.NOW;
import static io.ferry.scheduler.domain.Fixtures.aHost;
import static io.ferry.scheduler.domain.Fixtures.aRequest;
import static io.ferry.scheduler.domain.Fixtures.flavor;
import static io.ferry.scheduler.domain.Fixtures.gib;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.scheduler.domain.HostName;
import io.ferry.scheduler.domain.MigrationId;
import io.ferry.scheduler.domain.Resources;
import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.host.NumaCell;
import io.ferry.scheduler.domain.request.GuestNumaCell;
import io.ferry.scheduler.domain.request.RequestSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class ClaimLedgerTest {

    private static final Duration GRACE = Duration.ofSeconds(60);

    private final ClaimLedger ledger = new ClaimLedger();
    private final HostState host = aHost().withFreeRam(gib(16)).build();
    private final RequestSpec eightGib = aRequest().flavor(flavor(2, gib(8), 20)).build();

    @Test
    void claimsUntilTheHostIsFullThenRefuses() {
        // given / when
        ClaimResult first = ledger.tryClaim(MigrationId.random(), host, eightGib);
        ClaimResult second = ledger.tryClaim(MigrationId.random(), host, eightGib);
        ClaimResult third = ledger.tryClaim(MigrationId.random(), host, eightGib);
        // then
        assertThat(first).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(second).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(third).isInstanceOf(ClaimResult.Refused.class);
        assertThat(ledger.claimsOn(host.name()).resources()).isEqualTo(new Resources(4, 16384, 0));
    }

    @Test
    void releaseGivesTheResourcesBackAndIsIdempotent() {
        // given
        MigrationId id = MigrationId.random();
        ledger.tryClaim(id, host, eightGib);
        // when
        var released = ledger.release(id, ReleaseReason.CANCELLED);
        var again = ledger.release(id, ReleaseReason.CANCELLED);
        // then
        assertThat(released).containsInstanceOf(ClaimEvent.ClaimReleased.class);
        assertThat(again).isEmpty();
        assertThat(ledger.claimsOn(host.name()).isEmpty()).isTrue();
        assertThat(ledger.claim(id)).get().extracting(Claim::status).isEqualTo(ClaimStatus.RELEASED);
    }

    @Test
    void aCommittedClaimCountsUntilTheDestinationReportsTheInstance() {
        // given a claim for the request's instance, committed when the migration completed
        MigrationId id = MigrationId.random();
        ledger.tryClaim(id, host, eightGib);
        var committed = ledger.commit(id, NOW).orElseThrow();
        // when the destination reports again, first without the instance (a report taken before it arrived)
        List<Claim> early = ledger.settle(host, NOW.plusSeconds(5), GRACE);
        // then the claim still counts: the usage does not show the instance yet
        assertThat(committed).isInstanceOf(ClaimEvent.ClaimCommitted.class);
        assertThat(early).isEmpty();
        assertThat(ledger.claimsOn(host).resources().ramMb()).isEqualTo(8192);
        assertThat(ledger.release(id, ReleaseReason.ERROR)).isEmpty();

        // when the next report counts the instance in its usage
        HostState reported = withEightGibMoreUsed(host).reporting(eightGib.instanceUuid()).build();
        List<Claim> settled = ledger.settle(reported, NOW.plusSeconds(10), GRACE);
        // then the claim is settled: the instance is counted once, by the usage
        assertThat(settled).extracting(Claim::status).containsExactly(ClaimStatus.SETTLED);
        assertThat(ledger.claimsOn(host.name()).isEmpty()).isTrue();
        assertThat(reported.withClaims(ledger.claimsOn(reported)).freeRamMb()).isEqualTo(host.freeRamMb() - 8192);
    }

    @Test
    void aReportLongAfterTheCommitSettlesTheClaimEvenWithoutTheInstance() {
        // given a committed claim whose instance never shows up on the destination (it moved on)
        MigrationId id = MigrationId.random();
        ledger.tryClaim(id, host, eightGib);
        ledger.commit(id, NOW);
        // when a report arrives just before, then at the grace after the commit
        List<Claim> before = ledger.settle(host, NOW.plus(GRACE).minusMillis(1), GRACE);
        List<Claim> after = ledger.settle(host, NOW.plus(GRACE), GRACE);
        // then only the late report settles it
        assertThat(before).isEmpty();
        assertThat(after).hasSize(1);
        assertThat(ledger.claimsOn(host.name()).isEmpty()).isTrue();
    }

    @Test
    void anOpenClaimIsNotCountedTwiceWhileTheDestinationReportsTheInstance() {
        // given an open claim of 8 GiB on a host with 16 GiB free
        MigrationId id = MigrationId.random();
        ledger.tryClaim(id, host, eightGib);
        // when the destination reports the arriving instance in its usage (prepared, or already activated)
        HostState reporting = withEightGibMoreUsed(host).reporting(eightGib.instanceUuid()).build();
        // then usage and claim together count it once: 8 GiB stay free, and a second 8 GiB claim fits
        assertThat(reporting.withClaims(ledger.claimsOn(reporting)).freeRamMb()).isEqualTo(host.freeRamMb() - 8192);
        assertThat(ledger.tryClaim(MigrationId.random(), reporting, eightGib.toBuilder()
                .instance(UUID.randomUUID()).build())).isInstanceOf(ClaimResult.Claimed.class);
        // and when a later report no longer has it (rolled back on the host), the open claim counts again
        assertThat(host.withClaims(ledger.claimsOn(host)).freeRamMb()).isEqualTo(host.freeRamMb() - 16384);
    }

    @Test
    void aReportPublishedThroughTheLedgerIsWhatTheNextClaimSees() {
        // given a committed claim and a fleet map the ledger publishes into
        Map<HostName, HostState> fleet = new HashMap<>(Map.of(host.name(), host));
        MigrationId id = MigrationId.random();
        ledger.tryClaim(id, host.name(), fleet::get, eightGib);
        ledger.commit(id, NOW);
        // when the report counting the instance is published and settles the claim
        HostState reported = withEightGibMoreUsed(host).reporting(eightGib.instanceUuid()).build();
        List<Claim> settled = ledger.hostReported(reported, NOW.plusSeconds(1), GRACE, s -> fleet.put(s.name(), s));
        // then the next claim reads that report: 8 GiB are left, not 16 and not 0
        RequestSpec another = eightGib.toBuilder().instance(UUID.randomUUID()).build();
        assertThat(settled).hasSize(1);
        assertThat(ledger.tryClaim(MigrationId.random(), host.name(), fleet::get, another))
                .isInstanceOf(ClaimResult.Claimed.class);
        assertThat(ledger.tryClaim(MigrationId.random(), host.name(), fleet::get,
                another.toBuilder().instance(UUID.randomUUID()).build())).isInstanceOf(ClaimResult.Refused.class);
    }

    @Test
    void restoringTheLastStateOfEachClaimRebuildsTheCountingClaims() {
        // given a live ledger: one open, one released, one committed claim
        MigrationId a = MigrationId.random();
        MigrationId b = MigrationId.random();
        MigrationId c = MigrationId.random();
        ledger.tryClaim(a, host, eightGib);
        ledger.tryClaim(b, host, eightGib);
        ledger.release(a, ReleaseReason.CANCELLED);
        ledger.tryClaim(c, host, eightGib);
        ledger.commit(b, NOW);
        // when a new ledger restores only each migration's last state (what a compacted log keeps), twice
        ClaimLedger rebuilt = new ClaimLedger();
        for (MigrationId id : List.of(a, b, c)) {
            rebuilt.restore(ledger.claim(id).orElseThrow());
        }
        boolean changedAgain = false;
        for (MigrationId id : List.of(a, b, c)) {
            changedAgain |= rebuilt.restore(ledger.claim(id).orElseThrow());
        }
        // then it counts the same claims, with the same states
        assertThat(changedAgain).isFalse();
        assertThat(rebuilt.claimsOn(host.name())).isEqualTo(ledger.claimsOn(host.name()));
        assertThat(rebuilt.claim(a)).get().extracting(Claim::status, Claim::releaseReason)
                .containsExactly(ClaimStatus.RELEASED, ReleaseReason.CANCELLED);
        assertThat(rebuilt.claim(b)).get().extracting(Claim::status, Claim::committedAt)
                .containsExactly(ClaimStatus.COMMITTED, NOW);
        assertThat(rebuilt.openClaims()).extracting(Claim::migration).containsExactly(c);
    }

    @Test
    void claimingAgainForTheSameMigrationReturnsTheSameClaim() {
        // given
        MigrationId id = MigrationId.random();
        ClaimResult first = ledger.tryClaim(id, host, eightGib);
        // when
        ClaimResult again = ledger.tryClaim(id, host, eightGib);
        // then
        assertThat(again).isEqualTo(first);
        assertThat(ledger.claimsOn(host.name()).count()).isEqualTo(1);
    }

    @Test
    void claimsNumaCellsSoTwoPinnedGuestsDoNotShareTheLastCores() {
        // given one cell with 4 free pCPUs
        HostState numa = aHost().withNumaCell(new NumaCell(0, 8, 4, 65536, 0, List.of())).build();
        RequestSpec pinned = aRequest().addNumaCell(new GuestNumaCell(4, 4096, true, 0)).build();
        // when
        ClaimResult first = ledger.tryClaim(MigrationId.random(), numa, pinned);
        ClaimResult second = ledger.tryClaim(MigrationId.random(), numa, pinned);
        // then
        assertThat(first).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(second).isInstanceOf(ClaimResult.Refused.class);
        assertThat(((ClaimResult.Refused) second).reason()).contains("NUMA");
    }

    @Test
    void replayingTheEventLogTwiceRebuildsTheSameOpenClaims() {
        // given a live ledger and its log
        List<ClaimEvent> log = new ArrayList<>();
        MigrationId a = MigrationId.random();
        MigrationId b = MigrationId.random();
        MigrationId c = MigrationId.random();
        log.add(((ClaimResult.Claimed) ledger.tryClaim(a, host, eightGib)).event());
        log.add(((ClaimResult.Claimed) ledger.tryClaim(b, host, eightGib)).event());
        log.add(ledger.release(a, ReleaseReason.FAILED).orElseThrow());
        log.add(((ClaimResult.Claimed) ledger.tryClaim(c, host, eightGib)).event());
        log.add(ledger.commit(b, NOW).orElseThrow());
        // when a restarted scheduler replays it, and the broker re-delivers it all
        ClaimLedger rebuilt = new ClaimLedger();
        log.forEach(rebuilt::apply);
        long changedOnSecondPass = log.stream().filter(rebuilt::apply).count();
        // then
        assertThat(changedOnSecondPass).isZero();
        assertThat(rebuilt.openClaims()).containsExactlyInAnyOrderElementsOf(ledger.openClaims());
        assertThat(rebuilt.claimsOn(host.name())).isEqualTo(ledger.claimsOn(host.name()));
    }

    @Test
    void aRescheduleIsANewAttemptAndReplaysOfTheOldOneDoNotTouchIt() {
        // given a claim on dest-1, released to reschedule, and a new claim on dest-2, as the log has them
        HostState other = aHost("dest-2").withFreeRam(gib(16)).build();
        MigrationId id = MigrationId.random();
        List<ClaimEvent> log = new ArrayList<>();
        log.add(((ClaimResult.Claimed) ledger.tryClaim(id, host, eightGib)).event());
        log.add(ledger.release(id, ReleaseReason.RESCHEDULED).orElseThrow());
        log.add(((ClaimResult.Claimed) ledger.tryClaim(id, other, eightGib)).event());
        // when the log is replayed into a new ledger, then re-delivered in full
        ClaimLedger rebuilt = new ClaimLedger();
        log.forEach(rebuilt::apply);
        boolean changedAgain = log.stream().map(rebuilt::apply).reduce(false, Boolean::logicalOr);
        // then only the second attempt counts, on dest-2
        assertThat(log).extracting(ClaimEvent::attempt).containsExactly(1, 1, 2);
        assertThat(changedAgain).isFalse();
        assertThat(rebuilt.claim(id)).get().extracting(Claim::attempt, Claim::host, Claim::status)
                .containsExactly(2, other.name(), ClaimStatus.OPEN);
        assertThat(rebuilt.claimsOn(host.name()).isEmpty()).isTrue();
        assertThat(rebuilt.claimsOn(other.name()).count()).isEqualTo(1);
    }

    @Test
    void onlyAClaimReleasedToRescheduleMayClaimAgain() {
        MigrationId failed = MigrationId.random();
        ledger.tryClaim(failed, host, eightGib);
        ledger.release(failed, ReleaseReason.FAILED);

        assertThat(ledger.tryClaim(failed, host, eightGib)).isInstanceOf(ClaimResult.Refused.class);
    }

    @RepeatedTest(20)
    void randomClaimsReleasesAndCommitsNeverExceedCapacity() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        // given a host of random size and random request sizes
        HostState small = aHost().withVcpus(2 + random.nextInt(8)).withRam(gib(4 + random.nextInt(60))).build();
        ClaimLedger claims = new ClaimLedger();
        List<MigrationId> ids = new ArrayList<>();
        // when
        for (int step = 0; step < 200; step++) {
            int op = random.nextInt(10);
            if (op < 6 || ids.isEmpty()) {
                MigrationId id = MigrationId.random();
                ids.add(id);
                claims.tryClaim(id, small, aRequest().flavor(flavor(1 + random.nextInt(4), gib(1 + random.nextInt(8)), 0)).build());
            } else if (op < 8) {
                claims.release(ids.get(random.nextInt(ids.size())), ReleaseReason.FAILED);
            } else {
                claims.commit(ids.get(random.nextInt(ids.size())), NOW);
            }
            // then
            HostState withClaims = small.withClaims(claims.claimsOn(small.name()));
            assertThat(withClaims.freeRamMb()).as("seed %d step %d", seed, step).isGreaterThanOrEqualTo(0);
            assertThat(withClaims.freeVcpus()).as("seed %d step %d", seed, step).isGreaterThanOrEqualTo(0);
        }
    }

    /** The host with 8 GiB more in use, as a report that counts one more 8 GiB guest would show it. */
    private static HostState.Builder withEightGibMoreUsed(HostState host) {
        return host.toBuilder().withUsedRam(io.ferry.scheduler.domain.ByteSize.mib(host.ramMb().used() + 8192));
    }
}
