package io.ferry.scheduler.domain.claim;

import static io.ferry.scheduler.domain.Fixtures.aHost;
import static io.ferry.scheduler.domain.Fixtures.aRequest;
import static io.ferry.scheduler.domain.Fixtures.flavor;
import static io.ferry.scheduler.domain.Fixtures.gib;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.scheduler.domain.MigrationId;
import io.ferry.scheduler.domain.Resources;
import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.host.NumaCell;
import io.ferry.scheduler.domain.request.GuestNumaCell;
import io.ferry.scheduler.domain.request.RequestSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class ClaimLedgerTest {

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
    void commitTurnsTheClaimIntoUsageOfTheDestination() {
        // given
        MigrationId id = MigrationId.random();
        ledger.tryClaim(id, host, eightGib);
        // when
        var committed = ledger.commit(id).orElseThrow();
        HostState after = host.plusUsage(((ClaimEvent.ClaimCommitted) committed).resources());
        // then
        assertThat(ledger.claimsOn(host.name()).isEmpty()).isTrue();
        assertThat(after.freeRamMb()).isEqualTo(host.freeRamMb() - 8192);
        assertThat(ledger.release(id, ReleaseReason.ERROR)).isEmpty();
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
        log.add(ledger.commit(b).orElseThrow());
        // when a restarted scheduler replays it, and the broker re-delivers it all
        ClaimLedger rebuilt = new ClaimLedger();
        log.forEach(rebuilt::apply);
        long changedOnSecondPass = log.stream().filter(rebuilt::apply).count();
        // then
        assertThat(changedOnSecondPass).isZero();
        assertThat(rebuilt.openClaims()).containsExactlyInAnyOrderElementsOf(ledger.openClaims());
        assertThat(rebuilt.claimsOn(host.name())).isEqualTo(ledger.claimsOn(host.name()));
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
                claims.commit(ids.get(random.nextInt(ids.size())));
            }
            // then
            HostState withClaims = small.withClaims(claims.claimsOn(small.name()));
            assertThat(withClaims.freeRamMb()).as("seed %d step %d", seed, step).isGreaterThanOrEqualTo(0);
            assertThat(withClaims.freeVcpus()).as("seed %d step %d", seed, step).isGreaterThanOrEqualTo(0);
        }
    }
}
