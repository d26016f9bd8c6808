package io.ferry.agent.adapter.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ferry.agent.app.HypervisorDriver.HostFacts;
import io.ferry.agent.domain.Guest;
import io.ferry.agent.domain.DirtyRateSample;
import io.ferry.agent.domain.JobEnd;
import io.ferry.agent.domain.JobReading;
import io.ferry.agent.domain.MigrationOrder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The libvirt driver against two real session libvirtd daemons on this machine and real QEMU (TCG) guests:
 * "host-a" and "host-b" migrate to each other over loopback.
 */
class LibvirtDriverTest {

    private static final long MIB = 1024 * 1024;
    /** Caps the dirtying guest's stream below its dirty rate: it cannot converge in QEMU's default 300 ms. */
    private static final long CAPPED_MIBPS = 20;

    static TwoLibvirtDaemons daemons;
    static ScheduledExecutorService ticker;
    static LibvirtDriver hostA;
    static LibvirtDriver hostB;

    @BeforeAll
    static void startTwoHosts() {
        daemons = TwoLibvirtDaemons.start("driver");
        ticker = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("libvirt-test-tick-", 0).factory());
        hostA = new LibvirtDriver(settings("host-a", "a", 49320, 49329), ticker, Clock.systemUTC());
        hostB = new LibvirtDriver(settings("host-b", "b", 49330, 49339), ticker, Clock.systemUTC());
        // connected from the start, as an agent is (it reads its inventory first): they hear every event since
        assertThat(hostA.reachable()).isTrue();
        assertThat(hostB.reachable()).isTrue();
    }

    private static LibvirtSettings settings(String host, String daemon, int portMin, int portMax) {
        return LibvirtSettings.of(daemons.uri(daemon), host)
                .withPeers(Map.of(
                        "host-a", new LibvirtSettings.Peer(daemons.uri("a"), "127.0.0.1"),
                        "host-b", new LibvirtSettings.Peer(daemons.uri("b"), "127.0.0.1")))
                .withMigrationPorts(portMin, portMax)
                .withVirtType("qemu")
                .withProgressInterval(Duration.ofMillis(250))
                .withDirtyRateCalc(Duration.ofSeconds(1));
    }

    @AfterAll
    static void stopTwoHosts() {
        if (hostA != null) {
            hostA.close();
        }
        if (hostB != null) {
            hostB.close();
        }
        if (ticker != null) {
            ticker.shutdownNow();
        }
        if (daemons != null) {
            daemons.close();
        }
    }

    @Test
    void reportsTheHostCpuMemoryAndRunningGuestsFromTheHypervisor() {
        // given
        String uuid = daemons.startIdleGuest("a", "inventoried");

        // when
        HostFacts facts = hostA.hostFacts().orElseThrow();

        // then
        assertThat(facts.cpuModel()).isNotBlank();
        assertThat(facts.cpuVendor()).isNotBlank();
        assertThat(facts.cpuFeatures()).isNotEmpty();
        assertThat(facts.memoryMb()).isPositive();
        assertThat(facts.vcpus()).isPositive();
        assertThat(facts.libvirtVersion()).startsWith("9.");
        assertThat(facts.hypervisorVersion()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(hostA.runningGuests()).anySatisfy(guest -> {
            assertThat(guest.uuid()).isEqualTo(uuid);
            assertThat(guest.name()).isEqualTo("inventoried");
            assertThat(guest.memoryMb()).isEqualTo(128);
            assertThat(guest.vcpus()).isEqualTo(1);
        });
        assertThat(hostB.runningGuests()).noneMatch(guest -> guest.uuid().equals(uuid));
    }

    @Test
    void migratesAnIdleGuestToTheDestinationWithRealByteCounts() {
        // given an idle guest on host-a
        String uuid = daemons.startIdleGuest("a", "idle-mover");
        RecordingListener listener = new RecordingListener();

        // when host-a migrates it to host-b
        long started = System.nanoTime();
        hostA.startMigration(order(uuid, "idle-mover", false, 0), listener);

        // then the job completes with libvirt's own figures
        await().atMost(Duration.ofSeconds(60)).until(() -> listener.end.get() != null);
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        JobEnd end = listener.end.get();
        assertThat(end.outcome()).as("%s", end).isEqualTo(JobEnd.Outcome.COMPLETED);
        assertThat(end.memoryTotalBytes()).isGreaterThanOrEqualTo(128 * MIB);
        assertThat(end.memoryTransferredBytes()).isPositive();
        assertThat(end.downtimeMillis()).isPositive();
        assertThat(end.iterations()).isPositive();
        assertThat(end.postCopy()).isFalse();
        System.out.printf("idle guest migrated in %d ms: %s%n", tookMs, end);

        // and the domain now runs on host-b, and no longer on host-a
        assertThat(daemons.runningDomains("b")).contains("idle-mover");
        assertThat(daemons.runningDomains("a")).doesNotContain("idle-mover");
        assertThat(daemons.definedDomains("a")).doesNotContain("idle-mover");
        assertThat(hostA.isRunning("m-" + uuid)).isFalse();

        // and libvirt's events said so on each side: resumed on host-b, stopped (migrated) then undefined on host-a
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(hostB.lastLifecycle(uuid)).hasValueSatisfying(e -> assertThat(e.event()).as(e.name())
                    .isEqualTo(LibvirtEvents.Lifecycle.RESUMED));
            assertThat(hostA.lastLifecycle(uuid)).hasValueSatisfying(e -> assertThat(e.gone()).as(e.name()).isTrue());
        });

        // and the end figures are those of the source's JOB_COMPLETED event
        assertThat(hostA.completedJob(uuid)).hasValueSatisfying(stats -> {
            assertThat(stats.get("memory_processed")).isEqualTo(end.memoryTransferredBytes());
            assertThat(stats.get("downtime")).isEqualTo(end.downtimeMillis());
        });

        // and each side's hypervisor confirms it, as the agent does before updating its ledger
        assertThat(hostB.arrivalProblem(uuid)).isEmpty();
        assertThat(hostA.departureProblem(uuid)).isEmpty();
        assertThat(hostA.arrivalProblem(uuid)).hasValueSatisfying(p -> assertThat(p).contains("not defined on host-a"));
        assertThat(hostB.departureProblem(uuid)).hasValueSatisfying(p -> assertThat(p).contains("still runs on host-b"));
    }

    @Test
    void aDirtyingGuestOnACappedStreamCompletesOnlyOnceTheMaxDowntimeIsRaised() {
        // given a guest dirtying ~20 MiB/s, streamed at 20 MiB/s
        String uuid = daemons.startDirtyingGuest("a", "dirty-downtime");
        RecordingListener listener = new RecordingListener();
        MigrationOrder order = order(uuid, "dirty-downtime", false, CAPPED_MIBPS);

        // when it has iterated several times under the default downtime
        hostA.startMigration(order, listener);
        await().atMost(Duration.ofSeconds(60)).until(() -> !listener.readings.isEmpty()
                && listener.last().iteration() >= 4);

        // then it has not converged: real dirty pages keep it going
        assertThat(listener.end.get()).isNull();
        JobReading reading = listener.last();
        assertThat(reading.phase()).isEqualTo(JobReading.JobPhase.PRE_COPY);
        assertThat(reading.dirtyRateBytesPerSec()).as("dirty rate").isGreaterThan(4 * MIB);
        assertThat(reading.memoryRemainingBytes()).isGreaterThan(6 * MIB);
        assertThat(reading.expectedDowntimeMillis()).isGreaterThan(300);
        assertThat(reading.downtimeLimitMillis()).isEqualTo(300);

        // when the max downtime is raised
        assertThat(hostA.setMaxDowntime(order.migrationUuid(), Duration.ofSeconds(5))).isTrue();

        // then it completes, on host-b
        await().atMost(Duration.ofSeconds(60)).until(() -> listener.end.get() != null);
        JobEnd end = listener.end.get();
        assertThat(end.outcome()).as("%s", end).isEqualTo(JobEnd.Outcome.COMPLETED);
        assertThat(end.memoryTransferredBytes()).isGreaterThan(64 * MIB);
        assertThat(end.iterations()).isGreaterThanOrEqualTo(4);
        assertThat(daemons.runningDomains("b")).contains("dirty-downtime");
        assertThat(daemons.runningDomains("a")).doesNotContain("dirty-downtime");
        System.out.printf("dirtying guest completed after the downtime was raised: %s%n", end);
    }

    @Test
    void measuresTheDirtyingGuestsDirtyRateWithCalcDirtyRateBeforeTheStreamStarts() {
        // given a guest dirtying tens of MiB/s, streamed at 20 MiB/s
        String uuid = daemons.startDirtyingGuest("a", "dirty-rate");
        RecordingListener listener = new RecordingListener();
        MigrationOrder order = order(uuid, "dirty-rate", false, CAPPED_MIBPS);
        long before = System.currentTimeMillis();

        // when it migrates
        hostA.startMigration(order, listener);
        await().atMost(Duration.ofSeconds(60)).until(() -> !listener.readings.isEmpty()
                && listener.last().measuredDirtyRate() != null);

        // then the readings carry QEMU's page-sampling measurement, over 1 s just before the stream started
        DirtyRateSample measured = listener.last().measuredDirtyRate();
        assertThat(measured.periodMillis()).isEqualTo(1000);
        assertThat(measured.startedAtMillis()).isBetween(before, System.currentTimeMillis());
        assertThat(measured.bytesPerSecond()).as("measured dirty rate").isGreaterThanOrEqualTo(2 * MIB)
                .isLessThan(TwoLibvirtDaemons.GUEST_MEMORY_MIB * MIB);
        System.out.printf("dirtying guest measured by calc-dirty-rate: %d MiB/s%n", measured.bytesPerSecond() / MIB);

        // when it is aborted
        assertThat(hostA.abort(order.migrationUuid())).isTrue();
        await().atMost(Duration.ofSeconds(60)).until(() -> listener.end.get() != null);
        assertThat(listener.end.get().outcome()).isEqualTo(JobEnd.Outcome.CANCELLED);
    }

    @Test
    void reportsARunningGuestsLastCalcDirtyRateMeasuredAtMostOnceAnInterval() {
        // given a dirtying guest no migration touches
        String uuid = daemons.startDirtyingGuest("a", "dirty-inventory");
        Guest guest = hostA.runningGuests().stream().filter(g -> g.uuid().equals(uuid)).findFirst().orElseThrow();

        // when the inventory asks for its dirty rate until a measurement (1 s) has completed
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> hostA.measuredDirtyRate(guest).isPresent());
        DirtyRateSample measured = hostA.measuredDirtyRate(guest).orElseThrow();

        // then it is QEMU's page-sampling figure, and within the interval (30 s) the same result is reported again
        assertThat(measured.periodMillis()).isEqualTo(1000);
        assertThat(measured.bytesPerSecond()).as("measured dirty rate").isGreaterThanOrEqualTo(2 * MIB)
                .isLessThan(TwoLibvirtDaemons.GUEST_MEMORY_MIB * MIB);
        assertThat(hostA.measuredDirtyRate(guest)).contains(measured);
    }

    @Test
    void withoutDirtyRateCalcAGuestsDirtyRateIsNotMeasured() {
        // given a driver with dirty-rate-calc off
        String uuid = daemons.startIdleGuest("a", "unmeasured");
        try (LibvirtDriver off = new LibvirtDriver(settings("host-a", "a", 49320, 49329)
                .withDirtyRateCalc(Duration.ZERO), ticker, Clock.systemUTC())) {
            Guest guest = off.runningGuests().stream().filter(g -> g.uuid().equals(uuid)).findFirst().orElseThrow();

            // when / then
            assertThat(off.measuredDirtyRate(guest)).isEmpty();
        }
    }

    @Test
    void switchingADirtyingGuestToPostCopyCompletesIt() throws Exception {
        try (AutoCloseable userfaultfd = daemons.allowUnprivilegedUserfaultfd()) {
            // given a dirtying guest on a capped stream, post-copy permitted
            String uuid = daemons.startDirtyingGuest("a", "dirty-postcopy");
            RecordingListener listener = new RecordingListener();
            MigrationOrder order = orderPostCopy(uuid, "dirty-postcopy", CAPPED_MIBPS);
            hostA.startMigration(order, listener);
            await().atMost(Duration.ofSeconds(60)).until(() -> !listener.readings.isEmpty()
                    && listener.last().iteration() >= 2);

            // when it is switched to post-copy
            assertThat(hostA.switchToPostCopy(order.migrationUuid())).isTrue();

            // then it completes on host-b
            await().atMost(Duration.ofSeconds(90)).until(() -> listener.end.get() != null);
            JobEnd end = listener.end.get();
            assertThat(end.outcome()).as("%s", end).isEqualTo(JobEnd.Outcome.COMPLETED);
            assertThat(end.postCopy()).isTrue();
            assertThat(end.memoryTransferredBytes()).isPositive();
            assertThat(daemons.runningDomains("b")).contains("dirty-postcopy");
            assertThat(daemons.runningDomains("a")).doesNotContain("dirty-postcopy");
            System.out.printf("dirtying guest completed in post-copy: %s%n", end);
        }
    }

    @Test
    void eachIterationLibvirtReportsGivesAReadingAtOnceWithoutWaitingForTheTick() {
        // given a driver whose progress tick is an hour: after its first reading, only events can give more
        LibvirtDriver eventsOnly = new LibvirtDriver(settings("host-a", "a", 49370, 49379)
                .withProgressInterval(Duration.ofHours(1)), ticker, Clock.systemUTC());
        try {
            String uuid = daemons.startDirtyingGuest("a", "dirty-events");
            RecordingListener listener = new RecordingListener();
            MigrationOrder order = order(uuid, "dirty-events", false, CAPPED_MIBPS);

            // when it migrates a guest that iterates on its capped stream
            eventsOnly.startMigration(order, listener);
            await().atMost(Duration.ofSeconds(90)).until(() -> !listener.readings.isEmpty()
                    && listener.last().iteration() >= 5);

            // then every iteration libvirt announced came with a reading of that iteration
            List<Long> iterations = listener.readings.stream().map(JobReading::iteration).distinct().toList();
            long lastIteration = listener.last().iteration();
            for (long i = 2; i <= lastIteration; i++) {
                assertThat(iterations).as("readings' iterations").contains(i);
            }
            assertThat(listener.readings.size()).as("one reading per event, plus the first")
                    .isLessThanOrEqualTo((int) lastIteration + 2);
            System.out.printf("readings from MIGRATION_ITERATION events: iterations %s%n", iterations);

            // and once it completes, its end carries the iterations of the JOB_COMPLETED event
            assertThat(eventsOnly.setMaxDowntime(order.migrationUuid(), Duration.ofSeconds(5))).isTrue();
            await().atMost(Duration.ofSeconds(60)).until(() -> listener.end.get() != null);
            JobEnd end = listener.end.get();
            assertThat(end.outcome()).as("%s", end).isEqualTo(JobEnd.Outcome.COMPLETED);
            assertThat(eventsOnly.completedJob(uuid)).hasValueSatisfying(stats ->
                    assertThat(stats.get("memory_iteration")).isEqualTo(end.iterations()).isGreaterThanOrEqualTo(5));
        } finally {
            eventsOnly.close();
        }
    }

    @Test
    void pausingADirtyingGuestForcesTheMigrationToComplete() {
        // given a dirtying guest that cannot converge
        String uuid = daemons.startDirtyingGuest("a", "dirty-force");
        RecordingListener listener = new RecordingListener();
        MigrationOrder order = order(uuid, "dirty-force", false, CAPPED_MIBPS);
        hostA.startMigration(order, listener);
        await().atMost(Duration.ofSeconds(60)).until(() -> !listener.readings.isEmpty()
                && listener.last().iteration() >= 3);
        assertThat(listener.end.get()).as("still iterating").isNull();

        // when it is forced to complete
        assertThat(hostA.forceComplete(order.migrationUuid())).isTrue();

        // then it completes; the guest arrives on host-b
        await().atMost(Duration.ofSeconds(60)).until(() -> listener.end.get() != null);
        assertThat(listener.end.get().outcome()).as("%s", listener.end.get()).isEqualTo(JobEnd.Outcome.COMPLETED);
        String nameOnB = daemons.withConnection("b", c -> c.domainLookupByUUIDString(uuid).getName());
        assertThat(nameOnB).isEqualTo("dirty-force");
        assertThat(daemons.runningDomains("a")).doesNotContain("dirty-force");
    }

    @Test
    void abortingStopsTheMigrationAndTheGuestKeepsRunningOnTheSource() {
        // given a dirtying guest migrating
        String uuid = daemons.startDirtyingGuest("a", "dirty-abort");
        RecordingListener listener = new RecordingListener();
        MigrationOrder order = order(uuid, "dirty-abort", false, CAPPED_MIBPS);
        hostA.startMigration(order, listener);
        await().atMost(Duration.ofSeconds(60)).until(() -> !listener.readings.isEmpty()
                && listener.last().memoryProcessedBytes() > 0);

        // when it is aborted
        assertThat(hostA.abort(order.migrationUuid())).isTrue();

        // then the job ends cancelled with libvirt's reason
        await().atMost(Duration.ofSeconds(30)).until(() -> listener.end.get() != null);
        JobEnd end = listener.end.get();
        assertThat(end.outcome()).isEqualTo(JobEnd.Outcome.CANCELLED);
        assertThat(end.reason()).contains("canceled by client");

        // and the guest still runs on host-a, not on host-b
        assertThat(daemons.runningDomains("a")).contains("dirty-abort");
        assertThat(daemons.runningDomains("b")).doesNotContain("dirty-abort");
        assertThat(hostA.isRunning(order.migrationUuid())).isFalse();
        assertThat(hostA.abort(order.migrationUuid())).as("nothing left to abort").isFalse();
    }

    @Test
    void anAgentRestartedWhileItsLibvirtdRunsAMigrationFindsTheJobAndFollowsItToTheEnd() {
        // given a migration host-a's driver started, which does not converge on its capped stream
        String uuid = daemons.startDirtyingGuest("a", "dirty-orphan");
        RecordingListener first = new RecordingListener();
        MigrationOrder order = order(uuid, "dirty-orphan", false, CAPPED_MIBPS);
        hostA.startMigration(order, first);
        await().atMost(Duration.ofSeconds(60)).until(() -> !first.readings.isEmpty()
                && first.last().memoryProcessedBytes() > 0);

        // when a new agent process for host-a starts (libvirtd runs the job on, whatever happened to its caller)
        LibvirtDriver restarted = new LibvirtDriver(settings("host-a", "a", 49350, 49359), ticker, Clock.systemUTC());
        try {
            List<MigrationOrder> found = restarted.runningJobs();

            // then it finds the job: which migration, which guest, where to
            assertThat(found).singleElement().satisfies(job -> {
                assertThat(job.migrationUuid()).isEqualTo(order.migrationUuid());
                assertThat(job.guest().uuid()).isEqualTo(uuid);
                assertThat(job.sourceHost()).isEqualTo("host-a");
                assertThat(job.destinationHost()).isEqualTo("host-b");
            });

            // when it follows the job
            RecordingListener second = new RecordingListener();
            assertThat(restarted.follow(found.getFirst(), second)).isTrue();

            // then it reports libvirt's readings, and its directives act on the job
            await().atMost(Duration.ofSeconds(30)).until(() -> second.readings.size() >= 2);
            assertThat(second.last().memoryProcessedBytes()).isPositive();
            assertThat(restarted.runningJobs()).as("followed already").isEmpty();
            assertThat(restarted.setMaxDowntime(order.migrationUuid(), Duration.ofSeconds(5))).isTrue();

            // and it reports the end, with the figures libvirt measured
            await().atMost(Duration.ofSeconds(60)).until(() -> second.end.get() != null);
            JobEnd end = second.end.get();
            assertThat(end.outcome()).as("%s", end).isEqualTo(JobEnd.Outcome.COMPLETED);
            assertThat(end.memoryTransferredBytes()).isGreaterThan(32 * MIB);
            assertThat(daemons.runningDomains("b")).contains("dirty-orphan");
            assertThat(daemons.runningDomains("a")).doesNotContain("dirty-orphan");
            assertThat(restarted.isRunning(order.migrationUuid())).isFalse();
        } finally {
            restarted.close();
        }
    }

    @Test
    void aDestinationRefusesAGuestWhoseCpuItLacksNamingTheMissingFeatures() {
        // given a guest defined on host-a with CPU features this machine's QEMU cannot offer
        String uuid = daemons.defineGuestWithCpu("a", "needs-avx512",
                "<cpu mode='custom' match='exact'><model fallback='forbid'>qemu64</model>"
                        + "<feature policy='require' name='avx512f'/><feature policy='require' name='avx512bw'/></cpu>");
        Optional<String> cpu = hostA.guestCpu(uuid);
        assertThat(cpu).isPresent();

        // when host-b checks it as a destination
        Optional<String> refusal = hostB.destinationRefusal(guest(uuid, "needs-avx512"), cpu);

        // then it refuses, naming what is missing
        assertThat(refusal).hasValueSatisfying(reason -> assertThat(reason)
                .contains("CPU doesn't have compatibility").contains("not compatible with the hypervisor of host-b")
                .contains("avx512f").contains("avx512bw"));
    }

    @Test
    void aRunningGuestDefinedWithAFeatureThisHostLacksIsReportedWithItsDefinitionAndRefusedByADestination() {
        // given a guest defined as on a newer host (AVX-512, which this machine's CPU and QEMU's TCG lack) that
        // still runs here because its definition does not make libvirt check the CPU at start
        String uuid = daemons.startPersistentGuestWithCpu("a", "from-newer-host",
                "<cpu mode='custom' match='exact' check='none'><model fallback='forbid'>qemu64</model>"
                        + "<feature policy='require' name='avx512f'/></cpu>");

        // when host-a lists its guests
        Guest listed = hostA.runningGuests().stream().filter(g -> g.uuid().equals(uuid)).findFirst().orElseThrow();

        // then the guest carries its defined CPU, which host-b's hypervisor refuses, naming the missing feature
        assertThat(listed.cpuDefinition()).contains("qemu64").contains("avx512f");
        assertThat(hostB.destinationRefusal(listed, Optional.of(listed.cpuDefinition())))
                .hasValueSatisfying(reason -> assertThat(reason).contains("CPU doesn't have compatibility")
                        .contains("Host CPU does not provide required features: avx512f"));

        // and a guest whose CPU was left to the default is reported with the CPU it runs with, which host-b accepts
        String plain = daemons.startIdleGuest("a", "default-cpu");
        Guest plainGuest = hostA.runningGuests().stream().filter(g -> g.uuid().equals(plain)).findFirst().orElseThrow();
        assertThat(plainGuest.cpuDefinition()).contains("<model");
        assertThat(hostB.destinationRefusal(plainGuest, Optional.of(plainGuest.cpuDefinition()))).isEmpty();
    }

    @Test
    void aDestinationAcceptsAGuestWithABaselineCpuAndRefusesOneLargerThanItsFreeMemory() {
        // given
        String uuid = daemons.defineGuestWithCpu("a", "baseline-cpu",
                "<cpu mode='custom' match='exact'><model fallback='forbid'>qemu64</model></cpu>");
        Optional<String> cpu = hostA.guestCpu(uuid);

        // when / then
        assertThat(hostB.destinationRefusal(guest(uuid, "baseline-cpu"), cpu)).isEmpty();
        Guest huge = new Guest(uuid, "huge", "p", "u", "f", 64L * 1024 * 1024, 1, 0, null);
        assertThat(hostB.destinationRefusal(huge, cpu)).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("not enough free memory on host-b"));
    }

    @Test
    void aDestinationWhoseMigrationPortsAreAllTakenRefusesNamingThemAndAcceptsOnceOneIsFree() throws Exception {
        // given a destination that takes guests only into one NUMA cell, its two migration ports bound by others
        String uuid = daemons.defineGuestWithCpu("a", "port-check",
                "<cpu mode='custom' match='exact'><model fallback='forbid'>qemu64</model></cpu>");
        Optional<String> cpu = hostA.guestCpu(uuid);
        LibvirtDriver strict = new LibvirtDriver(settings("host-b", "b", 49380, 49381).withNumaStrict(true), ticker,
                Clock.systemUTC());
        try {
            try (java.net.ServerSocket first = new java.net.ServerSocket(49380);
                 java.net.ServerSocket second = new java.net.ServerSocket(49381)) {
                // when it checks a guest, then it refuses: the stream could not listen
                assertThat(strict.destinationRefusal(guest(uuid, "port-check"), cpu)).hasValue(
                        "no free migration port on host-b: ports 49380-49381 are all in use, so the incoming stream"
                                + " could not listen");
            }

            // when the ports are free again, then the guest (128 MiB) fits one of the host's real NUMA cells
            assertThat(strict.hostFacts().orElseThrow().numaCells()).isNotEmpty();
            assertThat(strict.destinationRefusal(guest(uuid, "port-check"), cpu)).isEmpty();
        } finally {
            strict.close();
        }
    }

    @Test
    void aDriverWhoseDaemonRestartsFailsFastMeanwhileAndReconnectsWhenItAnswersAgain() {
        // given a driver connected to host-b's daemon
        LibvirtDriver driver = new LibvirtDriver(settings("host-b", "b", 49340, 49341)
                .withReconnect(Duration.ofMillis(100), Duration.ofMillis(400)), ticker, Clock.systemUTC());
        try {
            assertThat(driver.reachable()).isTrue();

            // when the daemon dies
            daemons.stopDaemon("b");

            // then the driver reports it unreachable, and inventory calls fail fast with the reason
            await().atMost(Duration.ofSeconds(20)).until(() -> !driver.reachable());
            assertThatThrownBy(driver::runningGuests).isInstanceOf(LibvirtUnavailable.class)
                    .hasMessageContaining(daemons.uri("b"));

            // when it is back
            daemons.restartDaemon("b");

            // then the driver reconnects on its own and reads the hypervisor again
            await().atMost(Duration.ofSeconds(30)).until(driver::reachable);
            assertThat(driver.hostFacts()).isPresent();

            // and it listens to libvirt's events again on the new connection
            String uuid = daemons.startIdleGuest("b", "after-reconnect");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(driver.lastLifecycle(uuid))
                    .hasValueSatisfying(e -> assertThat(e.runs()).as(e.name()).isTrue()));
        } finally {
            driver.close();
            if (!hostB.reachable()) {
                daemons.restartDaemon("b");
            }
        }
    }

    private static Guest guest(String uuid, String name) {
        return new Guest(uuid, name, "demo", "demo", "m1.tiny", 128, 1, 0, null);
    }

    private static MigrationOrder order(String uuid, String name, boolean postCopy, long bandwidthMibps) {
        return new MigrationOrder("m-" + UUID.randomUUID(), guest(uuid, name), "host-a", "host-b", false,
                Duration.ofMillis(300), bandwidthMibps, false, postCopy);
    }

    private static MigrationOrder orderPostCopy(String uuid, String name, long bandwidthMibps) {
        return order(uuid, name, true, bandwidthMibps);
    }
}
