package io.ferry.scheduler.domain.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GuestTopologyTest {

    private static Flavor flavor(int vcpus, long ramMb, Map<String, String> specs) {
        return new Flavor("f", vcpus, ramMb, 20, specs);
    }

    @Test
    void aFlavorWithoutNumaSpecsHasNoTopology() {
        assertThat(GuestTopology.of(flavor(4, 8192, Map.of("aggregate_instance_extra_specs:ssd", "true")))).isEmpty();
    }

    @Test
    void pinnedCpusAloneMeanOneNumaNode() {
        assertThat(GuestTopology.of(flavor(4, 8192, Map.of("hw:cpu_policy", "dedicated"))))
                .containsExactly(new GuestNumaCell(4, 8192, true, 0));
    }

    @Test
    void nodesSplitEvenlyWithThePageSize() {
        assertThat(GuestTopology.of(flavor(8, 16384, Map.of("hw:numa_nodes", "2", "hw:mem_page_size", "2MB"))))
                .containsExactly(new GuestNumaCell(4, 8192, false, 2048), new GuestNumaCell(4, 8192, false, 2048));
    }

    @Test
    void explicitNodesTakeTheirCpusAndMemory() {
        Map<String, String> specs = Map.of("hw:numa_nodes", "2", "hw:numa_cpus.0", "0-5", "hw:numa_mem.0", "12288",
                "hw:numa_cpus.1", "6,7", "hw:numa_mem.1", "4096", "hw:cpu_policy", "dedicated");
        assertThat(GuestTopology.of(flavor(8, 16384, specs)))
                .containsExactly(new GuestNumaCell(6, 12288, true, 0), new GuestNumaCell(2, 4096, true, 0));
    }

    @Test
    void pageSizesParseAsNovaWritesThem() {
        assertThat(GuestTopology.pageSizeKb("small")).isZero();
        assertThat(GuestTopology.pageSizeKb("any")).isZero();
        assertThat(GuestTopology.pageSizeKb("large")).isEqualTo(2048);
        assertThat(GuestTopology.pageSizeKb("2048")).isEqualTo(2048);
        assertThat(GuestTopology.pageSizeKb("1GB")).isEqualTo(1048576);
        assertThat(GuestTopology.pageSizeKb("4")).isZero();
        assertThatThrownBy(() -> GuestTopology.pageSizeKb("huge")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cpuListsCountRangesAndExclusions() {
        assertThat(GuestTopology.cpuCount("k", "0-3,6,^2")).isEqualTo(4);
        assertThatThrownBy(() -> GuestTopology.cpuCount("k", "3-1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inconsistentTopologiesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> GuestTopology.of(flavor(3, 8192, Map.of("hw:numa_nodes", "2"))))
                .hasMessageContaining("evenly");
        assertThatThrownBy(() -> GuestTopology.of(flavor(4, 8192, Map.of("hw:numa_nodes", "2",
                "hw:numa_cpus.0", "0-2", "hw:numa_mem.0", "4096", "hw:numa_cpus.1", "3", "hw:numa_mem.1", "2048"))))
                .hasMessageContaining("add up");
    }
}
