package io.ferry.conductor.domain.drain;

import static io.ferry.conductor.domain.drain.DrainFixtures.TEN_GBIT;
import static io.ferry.conductor.domain.drain.DrainFixtures.database;
import static io.ferry.conductor.domain.drain.DrainFixtures.idle;
import static io.ferry.conductor.domain.drain.DrainFixtures.mixedHost;
import static io.ferry.conductor.domain.drain.DrainFixtures.web;
import static io.ferry.conductor.domain.drain.DrainFixtures.withPci;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ferry.conductor.domain.convergence.Bandwidth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrainPlannerTest {

    private final DrainPlanner planner = new DrainPlanner(DrainSettings.defaults());

    @Test
    void listsAnInstanceWithPciDevicesWithTheReasonAndTheAdviceInsteadOfSkippingIt() {
        // given
        List<DrainCandidate> host = List.of(web("web-1", 4), withPci("nfv-1", 8));

        // when
        DrainPlan plan = planner.plan("compute-1", TEN_GBIT, host);

        // then
        assertThat(plan.migrations()).extracting(p -> p.vm().name()).containsExactly("web-1");
        assertThat(plan.excluded()).singleElement().satisfies(x -> {
            assertThat(x.vm().name()).isEqualTo("nfv-1");
            assertThat(x.reason()).contains("not live-migratable").contains("SR-IOV").contains("cold migrate");
        });
    }

    @Test
    void aDatabaseWhoseNeededRateIsTheWholeLinkGoesAloneAndFirst() {
        // given a database dirtying 600 MB/s needs 1,200 MB/s (margin 2) of a 1,250 MB/s link
        List<DrainCandidate> host = List.of(idle("idle-1", 4), database("db-1", 8), web("web-1", 4));

        // when
        DrainPlan plan = planner.plan("compute-1", TEN_GBIT, host);

        // then
        DrainPlan.Planned db = plan.migrations().getFirst();
        assertThat(db.vm().name()).isEqualTo("db-1");
        for (DrainPlan.Planned other : plan.migrations().subList(1, plan.migrations().size())) {
            assertThat(other.predictedStart()).isGreaterThanOrEqualTo(db.predictedEnd());
        }
    }

    @Test
    void idleGuestsGoTogether() {
        // given six idle guests
        List<DrainCandidate> host = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            host.add(idle("idle-" + i, 2));
        }

        // when
        DrainPlan plan = planner.plan("compute-1", TEN_GBIT, host);

        // then
        assertThat(plan.peakStreams()).isBetween(2, DrainSettings.defaults().maxStreams());
        assertThat(plan.migrations().subList(0, plan.peakStreams()))
                .allSatisfy(p -> assertThat(p.predictedStart()).isZero());
    }

    @Test
    void keepsTheWebGuestsAloneWhereSharingWouldMakeThemDirtyMoreWhileIdleGuestsStillShare() {
        // when
        DrainPlan plan = planner.plan("compute-1", TEN_GBIT, mixedHost());

        // then no two web guests stream at once (shared, each is sent slower and dirties more)...
        List<DrainPlan.Planned> webs = plan.migrations().stream().filter(p -> p.vm().name().startsWith("web")).toList();
        for (DrainPlan.Planned a : webs) {
            for (DrainPlan.Planned b : webs) {
                if (a != b && a.predictedStart().compareTo(b.predictedStart()) <= 0) {
                    assertThat(b.predictedStart()).as("%s starts after %s ends", b.vm().name(), a.vm().name())
                            .isGreaterThanOrEqualTo(a.predictedEnd());
                }
            }
        }
        // ... while idle guests do (together they hide each other's start-up and handover)
        List<DrainPlan.Planned> idle = plan.migrations().stream().filter(p -> p.vm().name().startsWith("idle")).toList();
        assertThat(idle.stream().map(DrainPlan.Planned::predictedStart).distinct().count()).isLessThan(idle.size());
        // and the sharing margin that did it is at least the convergence margin
        assertThat(plan.rule().margin()).isGreaterThan(DrainSettings.defaults().convergenceMargin());
    }

    @Test
    void theNextGuestPreparesAheadSoOneAtATimeLosesOnlyTheHandoverBetweenStreams() {
        // given three idle 2 GiB guests, one at a time
        DrainPlanner serial = new DrainPlanner(DrainSettings.defaults().withMaxStreams(1));
        List<DrainCandidate> host = List.of(idle("idle-1", 2), idle("idle-2", 2), idle("idle-3", 2));

        // when
        DrainPlan plan = serial.plan("compute-1", TEN_GBIT, host);

        // then one start-up (0.5 s), three transfers of 2 GiB at 1.25 GB/s (1.72 s each), two handovers (0.1 s)
        assertThat(plan.predictedTotal().toMillis()).isBetween(5_800L, 6_000L);
    }

    @Test
    void aStreamStillStartingUpTakesNoShareOfTheNic() {
        // given two idle guests behind a database that needs the whole link
        List<DrainCandidate> host = List.of(database("db-1", 8), idle("idle-1", 2), idle("idle-2", 2));

        // when
        DrainPlan plan = planner.plan("compute-1", TEN_GBIT, host);

        // then the idle guests go together after the database: the first, prepared ahead, has the NIC to itself
        // while the second starts up, so together they end one handover sooner than one after the other
        DrainPlan.Planned idle1 = plan.migrations().get(1);
        DrainPlan.Planned idle2 = plan.migrations().get(2);
        assertThat(idle2.predictedStart()).isEqualTo(idle1.predictedStart());
        DrainPlan serial = new DrainPlanner(DrainSettings.defaults().withMaxStreams(1)).plan("compute-1", TEN_GBIT,
                host);
        assertThat(serial.predictedTotal().minus(plan.predictedTotal()).toMillis()).isBetween(50L, 150L);
    }

    @Test
    void choosesTheStreamLimitWhoseForecastEndsFirst() {
        // when
        DrainPlan plan = planner.plan("compute-1", TEN_GBIT, mixedHost());

        // then
        for (int streams = 1; streams <= DrainSettings.defaults().maxStreams(); streams++) {
            DrainPlan fixed = new DrainPlanner(DrainSettings.defaults().withMaxStreams(streams))
                    .plan("compute-1", TEN_GBIT, mixedHost());
            assertThat(plan.predictedTotal()).isLessThanOrEqualTo(fixed.predictedTotal());
        }
        assertThat(plan.rule().maxStreams()).isEqualTo(plan.peakStreams());
    }

    @Test
    void predictsTheTotalAgainstTheLowerBoundOfMemoryOverTheNic() {
        // given 48 GiB over 1,250 MB/s
        List<DrainCandidate> host = mixedHost();

        // when
        DrainPlan plan = planner.plan("compute-1", TEN_GBIT, host);

        // then
        assertThat(plan.lowerBound().toMillis()).isCloseTo(Math.round(48 * 1024.0 * 1024 * 1024 / 1.25e9 * 1000), within(1L));
        assertThat(plan.predictedTotal()).isGreaterThan(plan.lowerBound());
        assertThat(plan.predictedRatio()).isLessThan(1.3);
        assertThat(plan.migrations()).allSatisfy(p -> assertThat(p.converges()).isTrue());
    }

    @Test
    void predictsAShorterDrainThanOneAtATimeAndThanTwoAtATime() {
        // given Nova's default (one at a time) and KubeVirt's (two at a time, whatever the dirty rates)
        DrainPlanner serial = new DrainPlanner(DrainSettings.defaults().withMaxStreams(1));
        DrainPlanner pair = new DrainPlanner(DrainSettings.defaults().withMaxStreams(2).withConvergenceMargin(1.0));

        // when
        Duration ferry = planner.plan("compute-1", TEN_GBIT, mixedHost()).predictedTotal();
        Duration oneAtATime = serial.plan("compute-1", TEN_GBIT, mixedHost()).predictedTotal();
        Duration twoAtATime = pair.plan("compute-1", TEN_GBIT, mixedHost()).predictedTotal();

        // then
        assertThat(ferry).isLessThan(oneAtATime).isLessThan(twoAtATime);
    }

    @Test
    void withAPerStreamCeilingOfAThirdOfTheNicIdleGuestsGoThreeOrMoreAtOnceAndTheDrainStaysNearMemoryOverTheNic() {
        // given six idle guests (24 GiB) on a source whose lone stream reaches a third of its NIC
        Bandwidth third = Bandwidth.ofBytesPerSecond(TEN_GBIT.bytesPerSecond() / 3);
        List<DrainCandidate> host = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            host.add(idle("idle-" + i, 4));
        }

        // when
        DrainPlan plan = planner.plan("compute-1", TEN_GBIT, third, host);
        DrainPlan oneAtATime = new DrainPlanner(DrainSettings.defaults().withMaxStreams(1))
                .plan("compute-1", TEN_GBIT, third, host);

        // then at least three start together, the total is near 24 GiB / NIC, and the plan says what it assumed
        assertThat(plan.peakStreams()).isGreaterThanOrEqualTo(3);
        assertThat(plan.migrations().subList(0, 3)).allSatisfy(p -> assertThat(p.predictedStart()).isZero());
        assertThat(plan.predictedRatio()).isLessThan(1.25);
        assertThat(plan.rule().streamBandwidth()).isEqualTo(third);
        assertThat(oneAtATime.predictedRatio()).isGreaterThan(2.8);
    }

    @Test
    void withAPerStreamCeilingWebAndIdleGuestsStillDrainNearTheLowerBound() {
        // given the benchmark's host without its database, on a source whose lone stream reaches a third of its NIC
        Bandwidth third = Bandwidth.ofBytesPerSecond(TEN_GBIT.bytesPerSecond() / 3);
        List<DrainCandidate> host = mixedHost().stream().filter(vm -> !vm.name().startsWith("db")).toList();

        // when
        DrainPlan plan = planner.plan("compute-1", TEN_GBIT, third, host);

        // then
        assertThat(plan.peakStreams()).isGreaterThanOrEqualTo(3);
        assertThat(plan.lowerBound()).isEqualTo(planner.plan("compute-1", TEN_GBIT, host).lowerBound());
        assertThat(plan.predictedRatio()).isLessThan(1.3);
        assertThat(plan.migrations()).allSatisfy(p -> assertThat(p.converges()).isTrue());
    }

    @Test
    void aDatabaseDirtyingFasterThanOneStreamCanSendIsPredictedNotToConverge() {
        // given a database dirtying 600 MB/s on a source whose lone stream reaches 416 MB/s
        Bandwidth third = Bandwidth.ofBytesPerSecond(TEN_GBIT.bytesPerSecond() / 3);

        // when
        DrainPlan plan = planner.plan("compute-1", TEN_GBIT, third, List.of(database("db-1", 8), idle("idle-1", 2)));

        // then pure pre-copy cannot move it: the plan says so (the convergence policy has to step in)
        assertThat(plan.migrations()).filteredOn(p -> p.vm().name().equals("db-1")).singleElement()
                .satisfies(p -> assertThat(p.converges()).isFalse());
    }

    @Test
    void aLoneStreamMeasuredToFillTheNicPlansAsAnUnmeasuredOne() {
        // when
        DrainPlan unmeasured = planner.plan("compute-1", TEN_GBIT, mixedHost());
        DrainPlan measured = planner.plan("compute-1", TEN_GBIT, TEN_GBIT, mixedHost());

        // then
        assertThat(measured.predictedTotal()).isEqualTo(unmeasured.predictedTotal());
        assertThat(measured.peakStreams()).isEqualTo(unmeasured.peakStreams());
        assertThat(measured.migrations()).extracting(p -> p.vm().name(), DrainPlan.Planned::predictedStart)
                .containsExactlyElementsOf(unmeasured.migrations().stream()
                        .map(p -> org.assertj.core.groups.Tuple.tuple(p.vm().name(), p.predictedStart())).toList());
    }

    @Test
    void predictsEachMigrationFromThePreCopyModel() {
        // given one 8 GiB database alone on the link, no start-up: passes 8 GiB, then D/B = 0.48 of each pass
        DrainPlanner noStartup = new DrainPlanner(DrainSettings.defaults().withStartup(Duration.ZERO));

        // when
        DrainPlan plan = noStartup.plan("compute-1", TEN_GBIT, List.of(database("db-1", 8)));

        // then: 8 GiB / (1 - 0.48) / 1.25 GB/s = 13.2 s, less the last pass that fits in the downtime
        assertThat(plan.migrations().getFirst().predictedDuration().toMillis()).isBetween(12_000L, 13_300L);
    }
}
