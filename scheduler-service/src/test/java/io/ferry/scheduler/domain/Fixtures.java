package io.ferry.scheduler.domain;

import io.ferry.scheduler.domain.host.CpuInfo;
import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.CpuMode;
import io.ferry.scheduler.domain.request.Flavor;
import io.ferry.scheduler.domain.request.GuestCpu;
import io.ferry.scheduler.domain.request.RequestSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

/** Test fixtures: a fixed clock, CPU models, and builders with sensible defaults. */
public final class Fixtures {

    public static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** Westmere's flags (abridged): the baseline the seed's operators configured as a custom model. */
    public static final CpuFeatures WESTMERE = CpuFeatures.of(
            "fpu", "mmx", "sse", "sse2", "ssse3", "sse4_1", "sse4_2", "popcnt", "aes", "pclmuldq", "cx16", "lahf_lm");
    public static final CpuFeatures BROADWELL = WESTMERE.with(
            "avx", "avx2", "fma", "bmi1", "bmi2", "movbe", "rdrand", "f16c", "xsave", "adx", "rdseed", "smap");
    public static final CpuFeatures SKYLAKE = BROADWELL.with(
            "avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl", "clflushopt", "clwb", "pku", "xsavec");

    public static final CpuInfo SKYLAKE_HOST = new CpuInfo("x86_64", "Intel", "Skylake-Server", SKYLAKE);
    public static final CpuInfo BROADWELL_HOST = new CpuInfo("x86_64", "Intel", "Broadwell", BROADWELL);
    public static final CpuInfo EPYC_HOST = new CpuInfo("x86_64", "AMD", "EPYC", BROADWELL);
    public static final CpuInfo ARM_HOST = new CpuInfo("aarch64", "ARM", "Neoverse-N1", CpuFeatures.of("fp", "asimd"));

    private Fixtures() {
    }

    public static ByteSize gib(long n) {
        return ByteSize.gib(n);
    }

    public static HostName host(String name) {
        return HostName.of(name);
    }

    /** A healthy Skylake host in cell1/zone nova: 32 cores (128 vCPUs at 4.0), 128 GiB, 1000 GB disk. */
    public static HostState.Builder aHost() {
        return aHost("dest-1");
    }

    public static HostState.Builder aHost(String name) {
        return HostState.builder(name).withCpu(SKYLAKE_HOST).withHeartbeat(NOW.minusSeconds(5));
    }

    public static GuestCpu hostModelOf(CpuInfo source) {
        return new GuestCpu(CpuMode.HOST_MODEL, source.arch(), source.vendor(), source.model(), source.features());
    }

    public static GuestCpu passthroughOf(CpuInfo source) {
        return new GuestCpu(CpuMode.HOST_PASSTHROUGH, source.arch(), source.vendor(), source.model(), source.features());
    }

    public static GuestCpu customWestmere() {
        return new GuestCpu(CpuMode.CUSTOM, "x86_64", "Intel", "Westmere", WESTMERE);
    }

    public static Flavor flavor(int vcpus, ByteSize ram, long diskGb) {
        return new Flavor("m1.test", vcpus, ram.toMib(), diskGb, Map.of());
    }

    /** A 4 vCPU / 8 GiB / 40 GB guest with a host-model CPU from a Skylake source in cell1, shared storage. */
    public static RequestSpec.Builder aRequest() {
        return RequestSpec.builder()
                .instance(UUID.fromString("00000000-0000-0000-0000-00000000beef"))
                .flavor(flavor(4, gib(8), 40))
                .guestCpu(hostModelOf(SKYLAKE_HOST))
                .source(host("source-1"), "cell1")
                .maxAlternates(3);
    }
}
