package io.ferry.scheduler.domain.select;

import static io.ferry.scheduler.domain.Fixtures.BROADWELL_HOST;
import static io.ferry.scheduler.domain.Fixtures.CLOCK;
import static io.ferry.scheduler.domain.Fixtures.NOW;
import static io.ferry.scheduler.domain.Fixtures.aHost;
import static io.ferry.scheduler.domain.Fixtures.aRequest;
import static io.ferry.scheduler.domain.Fixtures.gib;
import static io.ferry.scheduler.domain.Fixtures.host;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.scheduler.domain.claim.ClaimView;
import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.DeviceKind;
import io.ferry.scheduler.domain.request.GuestDevice;
import io.ferry.scheduler.domain.request.GroupPolicy;
import io.ferry.scheduler.domain.request.RequestSpec;
import io.ferry.scheduler.domain.request.ServerGroup;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostSelectorTest {

    private final HostSelector selector = HostSelector.create(SchedulerSettings.defaults(), CLOCK);

    @Test
    void picksTheHostWithTheMostFreeResourcesAndListsAlternatesBestFirst() {
        // given
        List<HostState> hosts = List.of(
                aHost("a").withFreeRam(gib(16)).build(),
                aHost("b").withFreeRam(gib(64)).build(),
                aHost("c").withFreeRam(gib(32)).build(),
                aHost("d").withFreeRam(gib(24)).build());
        // when
        Decision decision = selector.select(aRequest().maxAlternates(2).build(), hosts, ClaimView.NONE);
        // then
        assertThat(decision).isEqualTo(new Decision.Selected(host("b"), List.of(host("c"), host("d"))));
    }

    @Test
    void copesWithAFleetThatGrowsWhileItIsRead() {
        // given a live view of the fleet whose size was taken before two more hosts reported
        List<HostState> hosts = List.of(aHost("a").withFreeRam(gib(16)).build(), aHost("b").withFreeRam(gib(64)).build(),
                aHost("c").withFreeRam(gib(32)).build());
        java.util.Collection<HostState> growing = new java.util.AbstractCollection<>() {
            @Override
            public java.util.Iterator<HostState> iterator() {
                return hosts.iterator();
            }

            @Override
            public int size() {
                return 1;
            }
        };
        // when
        Decision decision = selector.select(aRequest().maxAlternates(2).build(), growing, ClaimView.NONE);
        // then every host was considered
        assertThat(decision).isEqualTo(new Decision.Selected(host("b"), List.of(host("c"), host("a"))));
    }

    @Test
    void breaksTiesByHostName() {
        // given identical hosts listed in reverse order
        List<HostState> hosts = List.of(aHost("z").build(), aHost("m").build(), aHost("a").build());
        // when
        Decision decision = selector.select(aRequest().build(), hosts, ClaimView.NONE);
        // then
        assertThat(decision).isEqualTo(new Decision.Selected(host("a"), List.of(host("m"), host("z"))));
    }

    @Test
    void refusesAGuestWithAnSriovPortBeforeTryingAnyHost() {
        // given
        RequestSpec request = aRequest().addDevice(new GuestDevice("port-eth1", DeviceKind.SRIOV_VF)).build();
        // when
        Decision decision = selector.select(request, List.of(aHost().build()), ClaimView.NONE);
        // then
        assertThat(decision).isInstanceOf(Decision.NotMigratable.class);
        assertThat(((Decision.NotMigratable) decision).reason())
                .contains("not live-migratable").contains("port-eth1").contains("SR-IOV virtual function");
    }

    @Test
    void skipsDisabledAndForcedDownHosts() {
        // given
        List<HostState> hosts = List.of(
                aHost("a-disabled").withFreeRam(gib(100)).disabled("maintenance").build(),
                aHost("b-down").withFreeRam(gib(100)).forcedDown().build(),
                aHost("c-ok").withFreeRam(gib(10)).build());
        // when
        Decision decision = selector.select(aRequest().build(), hosts, ClaimView.NONE);
        // then
        assertThat(decision).isEqualTo(new Decision.Selected(host("c-ok"), List.of()));
    }

    @Test
    void neverCrossesCellsEvenWhenOnlyTheOtherCellHasRoom() {
        // given
        List<HostState> hosts = List.of(aHost("other-cell").inCell("cell2").build());
        // when
        Decision decision = selector.select(aRequest().build(), hosts, ClaimView.NONE);
        // then
        assertThat(decision).isInstanceOf(Decision.NoValidHost.class);
        assertThat(((Decision.NoValidHost) decision).filterCounts().getFirst())
                .isEqualTo(new FilterCount("SameCellFilter", 1, 0,
                        "other-cell: host is in cell cell2, the instance in cell1: live migration never crosses cells"));
    }

    @Test
    void noValidHostSaysWhichFilterRemovedHowManyHosts() {
        // given 10 candidates: 2 in another cell, 3 disabled, 4 without RAM, 1 with an older CPU; and the source
        List<HostState> hosts = new java.util.ArrayList<>();
        hosts.add(aHost("source-1").build());
        for (int i = 0; i < 2; i++) hosts.add(aHost("cell2-" + i).inCell("cell2").build());
        for (int i = 0; i < 3; i++) hosts.add(aHost("off-" + i).disabled("maintenance").build());
        for (int i = 0; i < 4; i++) hosts.add(aHost("full-" + i).withFreeRam(gib(1)).build());
        hosts.add(aHost("old-cpu").withCpu(BROADWELL_HOST).build());
        // when
        Decision decision = selector.select(aRequest().build(), hosts, ClaimView.NONE);
        // then
        Decision.NoValidHost noHost = (Decision.NoValidHost) decision;
        assertThat(noHost.filterCounts()).extracting(FilterCount::filter, FilterCount::start, FilterCount::end)
                .startsWith(
                        org.assertj.core.groups.Tuple.tuple("SameCellFilter", 10, 8),
                        org.assertj.core.groups.Tuple.tuple("AvailabilityZoneFilter", 8, 8),
                        org.assertj.core.groups.Tuple.tuple("ComputeFilter", 8, 5),
                        org.assertj.core.groups.Tuple.tuple("RamFilter", 5, 1),
                        org.assertj.core.groups.Tuple.tuple("CoreFilter", 1, 1),
                        org.assertj.core.groups.Tuple.tuple("DiskFilter", 1, 1),
                        org.assertj.core.groups.Tuple.tuple("CpuCompatibilityFilter", 1, 0));
        assertThat(noHost.reason()).startsWith("No valid host was found. Filtering removed all hosts")
                .contains("'RamFilter: (start: 5, end: 1)'".replace("'", ""));
    }

    @Test
    void forcedHostSkipsFiltersButNotCapacity() {
        // given a disabled host in another zone with room, and one without room
        HostState roomy = aHost("forced").disabled("maintenance").inZone("az9").build();
        HostState full = aHost("full").withFreeRam(gib(2)).build();
        // when
        Decision toRoomy = selector.select(aRequest().availabilityZone("az1").forcedHost(host("forced")).build(),
                List.of(roomy, full), ClaimView.NONE);
        Decision toFull = selector.select(aRequest().forcedHost(host("full")).build(), List.of(roomy, full), ClaimView.NONE);
        // then
        assertThat(toRoomy).isEqualTo(new Decision.Selected(host("forced"), List.of()));
        assertThat(toFull).isInstanceOf(Decision.NoValidHost.class);
        assertThat(((Decision.NoValidHost) toFull).reason()).contains("forced host full lacks capacity (RamFilter)");
    }

    @Test
    void aRequestedHostWithoutForceStillGoesThroughTheFilters() {
        // given
        List<HostState> hosts = List.of(aHost("wanted").disabled("maintenance").build(), aHost("other").build());
        // when
        Decision decision = selector.select(aRequest().requestedHost(host("wanted")).build(), hosts, ClaimView.NONE);
        // then
        assertThat(decision).isInstanceOf(Decision.NoValidHost.class);
        assertThat(((Decision.NoValidHost) decision).filterCounts()).anySatisfy(c -> {
            assertThat(c.filter()).isEqualTo("ComputeFilter");
            assertThat(c.removed()).isEqualTo(1);
        });
    }

    @Test
    void neverChoosesTheSourceOrIgnoredHosts() {
        // given
        List<HostState> hosts = List.of(aHost("source-1").withFreeRam(gib(120)).build(),
                aHost("ignored").withFreeRam(gib(120)).build(), aHost("ok").build());
        // when
        Decision decision = selector.select(aRequest().ignoreHosts(java.util.Set.of(host("ignored"))).build(),
                hosts, ClaimView.NONE);
        // then
        assertThat(decision).isEqualTo(new Decision.Selected(host("ok"), List.of()));
    }

    @Test
    void softAntiAffinityOutweighsASmallRamDifference() {
        // given
        ServerGroup group = new ServerGroup("g", GroupPolicy.SOFT_ANTI_AFFINITY, Map.of(host("a"), 2));
        List<HostState> hosts = List.of(aHost("a").withFreeRam(gib(33)).build(), aHost("b").withFreeRam(gib(32)).build());
        SchedulerSettings onlyRamAndGroup = SchedulerSettings.defaults().withMultipliers(Map.of(
                "CPUWeigher", 0.0, "DiskWeigher", 0.0, "ServerGroupSoftAntiAffinityWeigher", 2.0));
        // when
        Decision decision = HostSelector.create(onlyRamAndGroup, CLOCK)
                .select(aRequest().serverGroup(group).build(), hosts, ClaimView.NONE);
        // then
        assertThat(decision).isEqualTo(new Decision.Selected(host("b"), List.of(host("a"))));
    }

    @Test
    void explainsEveryVerdictUpToTheFirstRejection() {
        // given
        HostState stale = aHost("stale").withHeartbeat(NOW.minusSeconds(600)).build();
        // when
        List<FilterVerdict> verdicts = selector.explain(aRequest().build(), stale, ClaimView.NONE);
        // then
        assertThat(verdicts).extracting(FilterVerdict::filter)
                .containsExactly("SameCellFilter", "AvailabilityZoneFilter", "ComputeFilter");
        assertThat(verdicts.getLast().result().passed()).isFalse();
    }
}
