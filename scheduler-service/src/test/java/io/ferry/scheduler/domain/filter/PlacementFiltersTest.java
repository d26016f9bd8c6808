package io.ferry.scheduler.domain.filter;

import static io.ferry.scheduler.domain.Fixtures.aHost;
import static io.ferry.scheduler.domain.Fixtures.aRequest;
import static io.ferry.scheduler.domain.Fixtures.host;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.scheduler.domain.host.Aggregate;
import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.Flavor;
import io.ferry.scheduler.domain.request.GroupPolicy;
import io.ferry.scheduler.domain.request.ServerGroup;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SameCellFilter, AvailabilityZoneFilter, AggregateInstanceExtraSpecsFilter, server group filters. */
class PlacementFiltersTest {

    @Test
    void refusesAHostInAnotherCell() {
        // given
        HostState otherCell = aHost().inCell("cell2").build();
        // when
        FilterResult result = new SameCellFilter().test(otherCell, aRequest().build());
        // then
        assertThat(result).isEqualTo(new FilterResult.Reject(
                "host is in cell cell2, the instance in cell1: live migration never crosses cells"));
    }

    @Test
    void keepsAnInstanceBootedIntoAZoneInThatZone() {
        // given
        HostState az2 = aHost().inZone("az2").build();
        // when / then
        assertThat(new AvailabilityZoneFilter().test(az2, aRequest().availabilityZone("az1").build()).passed()).isFalse();
        assertThat(new AvailabilityZoneFilter().test(az2, aRequest().build()).passed()).isTrue();
    }

    @Test
    void matchesScopedFlavorExtraSpecsAgainstAggregateMetadata() {
        // given
        HostState ssd = aHost().inAggregate(new Aggregate("fast", Map.of("ssd", "true", "pinned", "true"))).build();
        HostState plain = aHost().inAggregate(new Aggregate("slow", Map.of("ssd", "false"))).build();
        Flavor wantsSsd = new Flavor("m1.ssd", 2, 2048, 20, Map.of(
                "aggregate_instance_extra_specs:ssd", "true", "hw:cpu_policy", "dedicated"));
        AggregateInstanceExtraSpecsFilter filter = new AggregateInstanceExtraSpecsFilter();
        // when / then
        assertThat(filter.test(ssd, aRequest().flavor(wantsSsd).build()).passed()).isTrue();
        assertThat(filter.test(plain, aRequest().flavor(wantsSsd).build()).passed()).isFalse();
        assertThat(filter.test(aHost().build(), aRequest().flavor(wantsSsd).build()))
                .isEqualTo(new FilterResult.Reject("no aggregate of the host has metadata ssd"));
    }

    @Test
    void supportsTheOrOperatorOfNovaExtraSpecs() {
        // given
        HostState gold = aHost().inAggregate(new Aggregate("g", Map.of("tier", "gold"))).build();
        Flavor either = new Flavor("m1", 2, 2048, 20, Map.of("aggregate_instance_extra_specs:tier", "<or> silver <or> gold"));
        // when / then
        assertThat(new AggregateInstanceExtraSpecsFilter().test(gold, aRequest().flavor(either).build()).passed()).isTrue();
    }

    @Test
    void hardAntiAffinityRefusesAHostRunningAnotherMember() {
        // given
        ServerGroup group = new ServerGroup("g1", GroupPolicy.ANTI_AFFINITY, Map.of(host("dest-1"), 1));
        // when
        FilterResult taken = new ServerGroupAntiAffinityFilter().test(aHost("dest-1").build(), aRequest().serverGroup(group).build());
        FilterResult free = new ServerGroupAntiAffinityFilter().test(aHost("dest-2").build(), aRequest().serverGroup(group).build());
        // then
        assertThat(taken.passed()).isFalse();
        assertThat(free.passed()).isTrue();
    }

    @Test
    void hardAffinityKeepsTheGuestWithItsGroup() {
        // given
        ServerGroup group = new ServerGroup("g1", GroupPolicy.AFFINITY, Map.of(host("dest-1"), 2));
        // when
        FilterResult with = new ServerGroupAffinityFilter().test(aHost("dest-1").build(), aRequest().serverGroup(group).build());
        FilterResult without = new ServerGroupAffinityFilter().test(aHost("dest-2").build(), aRequest().serverGroup(group).build());
        // then
        assertThat(with.passed()).isTrue();
        assertThat(without.passed()).isFalse();
    }
}
