package io.ferry.scheduler.domain.weigher;

import static io.ferry.scheduler.domain.Fixtures.aHost;
import static io.ferry.scheduler.domain.Fixtures.aRequest;
import static io.ferry.scheduler.domain.Fixtures.gib;
import static io.ferry.scheduler.domain.Fixtures.host;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.scheduler.domain.request.GroupPolicy;
import io.ferry.scheduler.domain.request.RequestSpec;
import io.ferry.scheduler.domain.request.ServerGroup;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeighersTest {

    @Test
    void normalisesMinToZeroAndMaxToOne() {
        // given
        double[] raw = {10, 30, 20, 99};
        // when
        Normalization.normalize(raw, 3);
        // then: only the first three are weights; the fourth slot is untouched scratch
        assertThat(raw).containsExactly(0.0, 1.0, 0.5, 99.0);
    }

    @Test
    void normalisesEqualWeightsToZeroSoTheyDoNotMoveTheRanking() {
        // given
        double[] raw = {7, 7, 7};
        // when
        Normalization.normalize(raw, 3);
        // then
        assertThat(raw).containsExactly(0.0, 0.0, 0.0);
    }

    @Test
    void ramCpuAndDiskWeighersReturnFreeAmountsAndSpreadByDefault() {
        // given
        var host = aHost().withFreeRam(gib(10)).withFreeVcpus(6).withFreeDiskGb(300).build();
        RequestSpec request = aRequest().build();
        // when / then
        assertThat(new RAMWeigher().weigh(host, request)).isEqualTo(10240.0);
        assertThat(new CPUWeigher().weigh(host, request)).isEqualTo(6.0);
        assertThat(new DiskWeigher().weigh(host, request)).isEqualTo(300.0);
        assertThat(new RAMWeigher().multiplier()).isPositive();
    }

    @Test
    void migrationLoadWeigherPrefersHostsWithFewerMigrationsInOrOut() {
        // given
        var busy = aHost("busy").withMigrations(1, 2).build();
        var idle = aHost("idle").build();
        MigrationLoadWeigher weigher = new MigrationLoadWeigher();
        // when
        double busyScore = weigher.multiplier() * weigher.weigh(busy, aRequest().build());
        double idleScore = weigher.multiplier() * weigher.weigh(idle, aRequest().build());
        // then
        assertThat(idleScore).isGreaterThan(busyScore);
    }

    @Test
    void softAntiAffinityPrefersHostsWithFewerMembersAndOnlyAppliesToItsPolicy() {
        // given
        ServerGroup group = new ServerGroup("g", GroupPolicy.SOFT_ANTI_AFFINITY, Map.of(host("crowded"), 3));
        RequestSpec request = aRequest().serverGroup(group).build();
        ServerGroupSoftWeigher weigher = ServerGroupSoftWeigher.antiAffinity(ServerGroupSoftWeigher.DEFAULT_MULTIPLIER);
        // when / then
        assertThat(weigher.weigh(aHost("crowded").build(), request)).isLessThan(weigher.weigh(aHost("empty").build(), request));
        assertThat(weigher.appliesTo(aRequest().build())).isFalse();
        assertThat(ServerGroupSoftWeigher.affinity(1.0).appliesTo(request)).isFalse();
        assertThat(weigher.name()).isEqualTo("ServerGroupSoftAntiAffinityWeigher");
    }

    @Test
    void softAffinityPrefersHostsWithMoreMembersUnderItsNovaName() {
        // given
        ServerGroup group = new ServerGroup("g", GroupPolicy.SOFT_AFFINITY, Map.of(host("crowded"), 3));
        RequestSpec request = aRequest().serverGroup(group).build();
        ServerGroupSoftWeigher weigher = ServerGroupSoftWeigher.affinity(ServerGroupSoftWeigher.DEFAULT_MULTIPLIER);
        // when / then
        assertThat(weigher.weigh(aHost("crowded").build(), request)).isEqualTo(3.0);
        assertThat(weigher.weigh(aHost("empty").build(), request)).isZero();
        assertThat(weigher.name()).isEqualTo("ServerGroupSoftAffinityWeigher");
        assertThat(ServerGroupSoftWeigher.antiAffinity(1.0).appliesTo(request)).isFalse();
    }

    @Test
    void rejectsUnknownWeigherNamesInConfiguration() {
        // when / then
        assertThatThrownBy(() -> Weighers.create(Map.of("RamWeigher", 2.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RamWeigher");
    }
}
