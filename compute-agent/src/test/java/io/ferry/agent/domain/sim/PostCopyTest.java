package io.ferry.agent.domain.sim;

import static io.ferry.agent.domain.sim.Fixtures.DST;
import static io.ferry.agent.domain.sim.Fixtures.SRC;
import static io.ferry.agent.domain.sim.Fixtures.TEN_GBIT;
import static io.ferry.agent.domain.sim.Fixtures.aFabric;
import static io.ferry.agent.domain.sim.Fixtures.aGuest;
import static io.ferry.agent.domain.sim.Fixtures.completed;
import static io.ferry.agent.domain.sim.Fixtures.migrate;
import static io.ferry.agent.domain.sim.Fixtures.onlyEnded;
import static io.ferry.agent.domain.sim.Fixtures.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PostCopyTest {

    private static final MigrationSettings POST_COPY = MigrationSettings.defaults().withPostCopyPermitted(true);
    private static final Guest STRESSED = aGuest(ByteSize.gib(8),
            Workload.constant(Bandwidth.gbPerSecond(1.5), ByteSize.gib(4), 4));

    @Test
    void postCopySendsEachRemainingPageExactlyOnce() {
        // given: a guest pre-copy cannot converge, 20 s into its migration
        SimulatedHypervisor hv = aFabric();
        JobId job = hv.start(migrate(STRESSED, POST_COPY));
        hv.advanceTo(Duration.ofSeconds(20));
        JobStats before = hv.stats(job).orElseThrow();

        // when
        CommandResult result = hv.startPostCopy(job);
        JobStats paused = hv.stats(job).orElseThrow();
        hv.runUntilIdle(Duration.ofMinutes(5));

        // then: what was sent afterwards is exactly what was pending at the switch
        assertThat(result).isEqualTo(CommandResult.ACCEPTED);
        assertThat(paused.phase()).isEqualTo(Phase.PAUSED);
        EndedJob ended = onlyEnded(hv);
        Outcome.Completed done = completed(ended);
        assertThat(done.viaPostCopy()).isTrue();
        long sentAfterSwitch = ended.finalStats().memoryProcessed().bytes() - before.memoryProcessed().bytes();
        assertThat(sentAfterSwitch).isCloseTo(before.memoryRemaining().bytes(), withinPercentage(0.0001));
        assertThat(before.memoryRemaining().bytes()).isLessThanOrEqualTo(STRESSED.ram().bytes());
    }

    @Test
    void postCopyPausesOnlyForDeviceStateAndTakesPendingOverBandwidthToFinish() {
        // given
        SimulatedHypervisor hv = aFabric();
        JobId job = hv.start(migrate(STRESSED, POST_COPY));
        hv.advanceTo(Duration.ofSeconds(20));
        double pending = hv.stats(job).orElseThrow().memoryRemaining().bytes();

        // when
        hv.startPostCopy(job);
        hv.advanceTo(Duration.ofSeconds(20).plusMillis(100));
        JobStats running = hv.stats(job).orElseThrow();
        hv.runUntilIdle(Duration.ofMinutes(5));

        // then
        assertThat(running.phase()).isEqualTo(Phase.POST_COPY);
        EndedJob ended = onlyEnded(hv);
        Outcome.Completed done = completed(ended);
        assertThat(done.downtime()).isEqualTo(MigrationSettings.DEFAULT_SWITCHOVER_COST);
        double postCopySeconds = pending / TEN_GBIT.bytesPerSecond();
        assertThat(seconds(done.totalTime())).isCloseTo(20 + 0.03 + postCopySeconds, withinPercentage(0.5));
        // blocktime: the missing share falls linearly from 1 to 0, so a vCPU waits half the time
        assertThat(seconds(ended.finalStats().postCopyBlocktime())).isCloseTo(postCopySeconds / 2, withinPercentage(1));
    }

    @Test
    void postCopyIsRefusedWhenNotPermitted() {
        // given
        SimulatedHypervisor hv = aFabric();
        JobId job = hv.start(migrate(STRESSED));
        hv.advanceTo(Duration.ofSeconds(1));

        // when
        CommandResult result = hv.startPostCopy(job);

        // then
        assertThat(result).isInstanceOf(CommandResult.Refused.class);
        assertThat(hv.stats(job).orElseThrow().phase()).isEqualTo(Phase.PRE_COPY);
    }

    @Test
    void abortIsRefusedInPostCopy() {
        // given
        SimulatedHypervisor hv = aFabric();
        JobId job = hv.start(migrate(STRESSED, POST_COPY));
        hv.advanceTo(Duration.ofSeconds(10));
        hv.startPostCopy(job);
        hv.advanceTo(Duration.ofSeconds(11));

        // when
        CommandResult result = hv.abort(job);

        // then
        assertThat(result).isEqualTo(CommandResult.refused("cannot abort a migration in post-copy mode"));
        assertThat(hv.stats(job).orElseThrow().phase()).isEqualTo(Phase.POST_COPY);
    }

    @Test
    void losingTheLinkDuringPostCopyLosesTheGuest() {
        // given
        SimulatedHypervisor hv = aFabric();
        JobId job = hv.start(migrate(STRESSED, POST_COPY));
        hv.advanceTo(Duration.ofSeconds(10));
        hv.startPostCopy(job);

        // when
        hv.inject(new Fault.LinkDown(DST, Duration.ofSeconds(11), Duration.ofMillis(200)));
        hv.advanceTo(Duration.ofSeconds(12));

        // then
        EndedJob ended = onlyEnded(hv);
        assertThat(ended.outcome()).isInstanceOf(Outcome.GuestLost.class);
        assertThat(ended.finalStats().phase()).isEqualTo(Phase.FAILED);
        assertThat(ended.finalStats().at()).isEqualTo(Duration.ofSeconds(11));
    }

    @Test
    void eitherHostCrashingDuringPostCopyLosesTheGuest() {
        for (HostName crashed : new HostName[] {SRC, DST}) {
            // given
            SimulatedHypervisor hv = aFabric();
            JobId job = hv.start(migrate(STRESSED, POST_COPY));
            hv.advanceTo(Duration.ofSeconds(10));
            hv.startPostCopy(job);
            hv.advanceTo(Duration.ofSeconds(11));

            // when
            hv.inject(new Fault.HostCrash(crashed, Duration.ofSeconds(11)));

            // then
            assertThat(onlyEnded(hv).outcome()).as(crashed.value()).isInstanceOf(Outcome.GuestLost.class);
        }
    }

    @Test
    void forceCompleteSwitchesToPostCopyWhenPermitted() {
        // given
        SimulatedHypervisor hv = aFabric();
        JobId job = hv.start(migrate(STRESSED, POST_COPY));
        hv.advanceTo(Duration.ofSeconds(10));

        // when
        hv.forceComplete(job);
        hv.runUntilIdle(Duration.ofMinutes(5));

        // then
        assertThat(completed(onlyEnded(hv)).viaPostCopy()).isTrue();
    }
}
