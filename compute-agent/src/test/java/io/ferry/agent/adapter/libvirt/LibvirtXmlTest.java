package io.ferry.agent.adapter.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the driver reads from libvirt's domain XML: the guest CPU a destination must provide. */
class LibvirtXmlTest {

    private static String domain(String cpu) {
        return "<domain type='qemu'><name>g</name><memory unit='MiB'>128</memory>" + cpu + "<devices/></domain>";
    }

    @Test
    void aCustomCpuWithAModelIsComparableWithItsFeatures() {
        // given
        String xml = domain("<cpu mode='custom' match='exact' check='none'><model fallback='forbid'>qemu64</model>"
                + "<feature policy='require' name='avx512f'/></cpu>");

        // when / then
        assertThat(LibvirtXml.comparableCpu(xml)).hasValueSatisfying(cpu -> assertThat(cpu)
                .startsWith("<cpu").contains("qemu64").contains("name=\"avx512f\"").contains("require"));
    }

    @Test
    void aCpuWithoutAModelOrPassedThroughIsNotComparable() {
        assertThat(LibvirtXml.comparableCpu(domain(""))).isEmpty();
        assertThat(LibvirtXml.comparableCpu(domain("<cpu mode='host-passthrough'/>"))).isEmpty();
        assertThat(LibvirtXml.comparableCpu(domain("<cpu mode='host-model'><model fallback='allow'/></cpu>")))
                .isEmpty();
        assertThat(LibvirtXml.comparableCpu(domain("<cpu><topology sockets='1' cores='2' threads='1'/></cpu>")))
                .isEmpty();
    }

    @Test
    void aCpuWithAModelAndNoModeIsComparable() {
        assertThat(LibvirtXml.comparableCpu(domain("<cpu><model>Westmere</model></cpu>"))).isPresent();
    }

    @Test
    void readsTheFerryMigrationADomainIsMarkedWith() {
        String metadata = "<ferry:migration xmlns:ferry=\"https://ferry.io/libvirt/migration/1\" uuid=\"m-1\" "
                + "destination=\"host-b\"/>";

        assertThat(LibvirtXml.migrationMark(metadata))
                .contains(new LibvirtXml.MigrationMark("m-1", "host-b"));
        assertThat(LibvirtXml.migrationMark("<other uuid='x' destination='y'/>")).isEmpty();
        assertThat(LibvirtXml.migrationMark(null)).isEmpty();
    }
}
