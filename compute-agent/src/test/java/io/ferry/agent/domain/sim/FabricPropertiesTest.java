package io.ferry.agent.domain.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

class FabricPropertiesTest {

    @RepeatedTest(20)
    void streamsNeverClaimMoreThanANicCarries(RepetitionInfo repetition) {
        long seed = 0xFAB_0000L + repetition.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        // given: random hosts, NICs and migrations, with jitter
        SimulatedHypervisor hv = new SimulatedHypervisor(SimulationSettings.defaults().withSeed(seed).withJitter(0.2)
                .withTrace(false));
        int hosts = random.nextInt(2, 8);
        Map<HostName, Double> nic = new HashMap<>();
        for (int h = 0; h < hosts; h++) {
            Bandwidth bw = Bandwidth.gbitPerSecond(random.nextDouble(1, 100));
            hv.addHost(HostSpec.of("h" + h, bw, ByteSize.gib(4096)));
            nic.put(HostName.of("h" + h), bw.bytesPerSecond());
        }
        List<JobId> jobs = new ArrayList<>();
        List<MigrationRequest> requests = new ArrayList<>();
        for (int i = 0; i < random.nextInt(1, 30); i++) {
            int s = random.nextInt(hosts);
            int d = (s + 1 + random.nextInt(hosts - 1)) % hosts;
            Guest guest = Guest.of("vm" + i, ByteSize.gib(random.nextLong(1, 64)), random.nextDouble(0, 0.5),
                    WorkloadProfiles.named(WorkloadProfiles.names().get(random.nextInt(5))));
            MigrationSettings settings = MigrationSettings.defaults().withBandwidthCap(
                    random.nextBoolean() ? Bandwidth.ZERO : Bandwidth.mbPerSecond(random.nextDouble(50, 5000)));
            MigrationRequest request = new MigrationRequest(guest, HostName.of("h" + s), HostName.of("h" + d), settings);
            requests.add(request);
            jobs.add(hv.start(request));
        }

        // when / then: at every tick, per NIC and direction, the streams' rates sum to at most the NIC
        for (int tick = 1; tick <= 300; tick++) {
            hv.advanceTo(Duration.ofMillis(100L * tick));
            Map<HostName, Double> out = new HashMap<>();
            Map<HostName, Double> in = new HashMap<>();
            for (int j = 0; j < jobs.size(); j++) {
                double bw = hv.stats(jobs.get(j)).map(st -> st.bandwidth().bytesPerSecond()).orElse(0.0);
                out.merge(requests.get(j).source(), bw, Double::sum);
                in.merge(requests.get(j).destination(), bw, Double::sum);
            }
            for (HostName h : nic.keySet()) {
                assertThat(out.getOrDefault(h, 0.0)).as("seed %d tick %d out of %s", seed, tick, h)
                        .isLessThanOrEqualTo(nic.get(h) * (1 + 1e-9));
                assertThat(in.getOrDefault(h, 0.0)).as("seed %d tick %d into %s", seed, tick, h)
                        .isLessThanOrEqualTo(nic.get(h) * (1 + 1e-9));
            }
        }
    }

    @RepeatedTest(20)
    void awkwardBurstPeriodsStillEndAndProcessedNeverShrinks(RepetitionInfo repetition) {
        long seed = 0xB0B_0000L + repetition.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        // given: bursts of odd nanosecond lengths, the high rate above the link
        Workload bursty = new Workload(new DirtyPattern.Alternating(
                Bandwidth.gbPerSecond(random.nextDouble(1.3, 3)), Duration.ofNanos(random.nextLong(1_000, 2_000_000_000)),
                Bandwidth.mbPerSecond(random.nextDouble(0, 50)), Duration.ofNanos(random.nextLong(1_000, 3_000_000_000L))),
                ByteSize.gib(2), 1);
        SimulatedHypervisor hv = Fixtures.aFabric();
        JobId job = hv.start(Fixtures.migrate(Fixtures.aGuest(ByteSize.gib(4), bursty),
                MigrationSettings.defaults().withAutoConverge(true)));

        // when
        long processed = 0;
        for (int second = 1; second <= 600 && hv.activeJobs() > 0; second++) {
            hv.advanceTo(Duration.ofSeconds(second));
            long now = hv.stats(job).orElseThrow().memoryProcessed().bytes();
            // then
            assertThat(now).as("seed %d", seed).isGreaterThanOrEqualTo(processed);
            processed = now;
        }
        assertThat(hv.activeJobs()).as("seed %d", seed).isZero();
    }
}
