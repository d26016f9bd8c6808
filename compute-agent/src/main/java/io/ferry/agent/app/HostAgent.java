package io.ferry.agent.app;

import io.ferry.agent.domain.CompletionDeadline;
import io.ferry.agent.domain.Guest;
import io.ferry.agent.domain.HostLedger.Admission;
import io.ferry.agent.domain.HostLedger;
import io.ferry.agent.domain.JobEnd;
import io.ferry.agent.domain.JobReading;
import io.ferry.agent.domain.LoneStreamBandwidth;
import io.ferry.agent.domain.MigrationOrder;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent of one hypervisor host: answers the conductor's commands for this host, runs migration jobs through
 * the driver, and keeps the host's ledger true. Methods are synchronized: one command at a time per host.
 *
 * <p>A job it runs as the source carries the order's {@link CompletionDeadline}: at each reading past it, unless the
 * conductor has ended or forced the job itself, the agent applies the timeout action on its own and says so in the
 * job's end. It remembers how its recent jobs ended, and re-announces that end when the conductor later asks about a
 * job that is gone (a conductor that was cut off, or restarted, learns the outcome it missed).
 */
public class HostAgent {

    private static final Logger log = LoggerFactory.getLogger(HostAgent.class);
    private static final int REMEMBERED_ENDS = 1_000;

    /** A running job's deadline, and whether the conductor or the deadline already acted. */
    private static final class Watch {
        final CompletionDeadline deadline;
        volatile boolean conductorActed;
        volatile String localReason;

        Watch(CompletionDeadline deadline) {
            this.deadline = deadline;
        }
    }

    private record Ended(String instanceUuid, JobEnd end) {
    }

    /** Nova's prefix for a reason the compute service set itself ({@code DISABLE_PREFIX}). */
    public static final String AUTO_DISABLE_PREFIX = "AUTO: ";

    private final String host;
    private final String cell;
    private final HostLedger ledger;
    private final HypervisorDriver driver;
    private final AgentEvents events;
    private volatile boolean enabled = true;
    private volatile String disabledReason;
    private volatile boolean forcedDown;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    private final Map<String, Ended> ended = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Ended> eldest) {
            return size() > REMEMBERED_ENDS;
        }
    });

    /** How long a lone stream's bandwidth reading counts, by default ({@code ferry.agent.stream-bandwidth-window}). */
    public static final Duration DEFAULT_STREAM_BANDWIDTH_WINDOW = Duration.ofMinutes(10);

    /** Migrations streaming out of this host now (started or followed again as their source). */
    private final Set<String> outgoing = ConcurrentHashMap.newKeySet();
    private final LoneStreamBandwidth loneStreams;

    public HostAgent(String host, String cell, HostLedger ledger, HypervisorDriver driver, AgentEvents events) {
        this(host, cell, ledger, driver, events, DEFAULT_STREAM_BANDWIDTH_WINDOW);
    }

    /** @param streamBandwidthWindow how long a lone stream's bandwidth reading counts ({@link LoneStreamBandwidth}) */
    public HostAgent(String host, String cell, HostLedger ledger, HypervisorDriver driver, AgentEvents events,
                     Duration streamBandwidthWindow) {
        this.host = host;
        this.cell = cell;
        this.ledger = ledger;
        this.driver = driver;
        this.events = events;
        this.loneStreams = new LoneStreamBandwidth(streamBandwidthWindow);
    }

    /**
     * Measured: the highest bandwidth one migration stream from this host reached while it ran alone, recently
     * ({@link LoneStreamBandwidth}), bytes/s; 0 until one did.
     */
    public long streamBandwidthBytesPerSec() {
        synchronized (loneStreams) {
            return loneStreams.highest();
        }
    }

    /**
     * Each running guest's dirty rate as the hypervisor last measured it, bytes/s, by instance uuid; 0 (unknown)
     * when it was not measured or the hypervisor cannot say. Asked outside the agent's lock (a real hypervisor
     * answers over its connection).
     */
    public Map<String, Long> measuredDirtyRates() {
        List<Guest> guests = read(l -> List.copyOf(l.runningGuests()));
        Map<String, Long> rates = new java.util.HashMap<>();
        for (Guest guest : guests) {
            long rate;
            try {
                rate = driver.measuredDirtyRate(guest).map(s -> s.bytesPerSecond()).orElse(0L);
            } catch (RuntimeException e) {
                log.debug("dirty rate of {} on {} not known: {}", guest.uuid(), host, e.getMessage());
                rate = 0;
            }
            rates.put(guest.uuid(), rate);
        }
        return rates;
    }

    public String host() {
        return host;
    }

    public String cell() {
        return cell;
    }

    public boolean enabled() {
        return enabled;
    }

    public String disabledReason() {
        return disabledReason;
    }

    public boolean forcedDown() {
        return forcedDown;
    }

    /**
     * Nova's os-services update for this host: a null argument keeps the current value; enabling clears the
     * reason. Reports the new inventory at once.
     */
    public void setServiceStatus(Boolean enable, String reason, Boolean forceDown) {
        synchronized (this) {
            if (enable != null) {
                enabled = enable;
                disabledReason = enable ? null : reason;
            }
            if (forceDown != null) {
                forcedDown = forceDown;
            }
        }
        log.info("service of {}: {}{}{}", host, enabled ? "enabled" : "disabled",
                disabledReason == null ? "" : " (" + disabledReason + ")", forcedDown ? ", forced down" : "");
        events.inventory(this);
    }

    /**
     * Nova's reaction to a lost hypervisor connection: while the hypervisor does not answer, the host's compute
     * service is disabled with {@value #AUTO_DISABLE_PREFIX}{@code Connection to libvirt lost: <why>} (so the scheduler
     * sends nothing here); once it answers again, a service this agent disabled itself is enabled again (one an
     * operator disabled stays disabled). Called before every heartbeat; true when the state changed.
     */
    public boolean checkHypervisor() {
        Optional<String> problem;
        try {
            problem = driver.connectionProblem();
        } catch (RuntimeException e) {
            problem = Optional.of(e.getMessage());
        }
        synchronized (this) {
            if (problem.isPresent() && enabled) {
                enabled = false;
                disabledReason = AUTO_DISABLE_PREFIX + "Connection to libvirt lost: " + problem.get();
                log.warn("service of {} disabled: {}", host, disabledReason);
                return true;
            }
            if (problem.isEmpty() && !enabled && disabledReason != null && disabledReason.startsWith(AUTO_DISABLE_PREFIX)) {
                log.info("service of {} enabled again: the hypervisor answers ({} before)", host, disabledReason);
                enabled = true;
                disabledReason = null;
                return true;
            }
            return false;
        }
    }

    public String driverName() {
        return driver.name();
    }

    /** A consistent copy of what the inventory reports. */
    public synchronized <T> T read(java.util.function.Function<HostLedger, T> reader) {
        return reader.apply(ledger);
    }

    /** Can this host take the guest: room in the ledger, then the hypervisor's own check (CPU, free memory). */
    public synchronized StepResult checkDestination(Guest guest) {
        StepResult ledgerAnswer = answer(ledger.admit(guest));
        if (ledgerAnswer.outcome() != StepResult.Outcome.DONE) {
            return ledgerAnswer;
        }
        return hypervisorCheck(guest);
    }

    /**
     * The hypervisor's check of an incoming guest: whether it can run the guest's CPU definition (as its source
     * reported it) and has the memory free. Refused with the hypervisor's reason.
     */
    private StepResult hypervisorCheck(Guest guest) {
        try {
            Optional<String> refusal = driver.destinationRefusal(guest, Optional.ofNullable(guest.cpuDefinition()));
            refusal.ifPresent(reason -> log.info("{} refuses instance {}: {}", host, guest.uuid(), reason));
            return refusal.map(StepResult::refused).orElse(StepResult.done());
        } catch (RuntimeException e) {
            log.warn("{} cannot check instance {} as a destination: {}", host, guest.uuid(), e.getMessage());
            return StepResult.failed("hypervisor check on " + host + " failed: " + e.getMessage());
        }
    }

    /** What the hypervisor reports about this host, when the driver has a real one. */
    public Optional<HypervisorDriver.HostFacts> hostFacts() {
        return driver.hostFacts();
    }

    /**
     * Checks the guest against the ledger and the hypervisor (the destination pre-check: CPU compatibility, free
     * memory), then reserves its room. Repeating it for a guest already reserved answers the same.
     */
    public synchronized StepResult prepareDestination(Guest guest) {
        StepResult admitted = answer(ledger.admit(guest));
        if (admitted.outcome() != StepResult.Outcome.DONE) {
            return admitted;
        }
        StepResult checked = hypervisorCheck(guest);
        if (checked.outcome() != StepResult.Outcome.DONE) {
            return checked;
        }
        StepResult result = answer(ledger.reserveIncoming(guest));
        if (result.outcome() == StepResult.Outcome.DONE) {
            events.inventory(this);
        }
        return result;
    }

    public synchronized StepResult checkSource(String instanceUuid) {
        if (ledger.running(instanceUuid).isEmpty()) {
            return StepResult.refused("instance " + instanceUuid + " does not run on " + host);
        }
        return StepResult.done();
    }

    public synchronized StepResult startMigration(MigrationOrder order) {
        String instanceUuid = order.guest().uuid();
        Ended before = ended.get(order.migrationUuid());
        if (before != null) {
            // A repeated order for a job that already ran and ended here (a restarted conductor asks again): never
            // stream the guest a second time. The job's end is announced again first (the conductor may have missed
            // it); a completed job is acknowledged (it did start), any other end refused with how it ended.
            log.info("migration {}: started again, but its job ended on {} ({}): announcing the end again",
                    order.migrationUuid(), host, before.end().outcome());
            events.jobEnded(this, order.migrationUuid(), before.instanceUuid(), before.end());
            if (before.end().outcome() == JobEnd.Outcome.COMPLETED) {
                return StepResult.done();
            }
            return StepResult.refused("the migration job " + order.migrationUuid() + " already ran on " + host
                    + " and ended " + before.end().outcome().name().toLowerCase(java.util.Locale.ROOT)
                    + (before.end().reason() == null ? "" : ": " + before.end().reason()));
        }
        Optional<String> current = ledger.migrationOf(instanceUuid);
        if (current.isPresent()) {
            return current.get().equals(order.migrationUuid()) ? StepResult.done()
                    : StepResult.refused("instance " + instanceUuid + " is already migrating (" + current.get() + ")");
        }
        Optional<Guest> guest = ledger.running(instanceUuid);
        if (guest.isEmpty()) {
            return StepResult.refused("instance " + instanceUuid + " does not run on " + host);
        }
        MigrationOrder withGuest = new MigrationOrder(order.migrationUuid(), guest.get(), host,
                order.destinationHost(), order.blockMigration(), order.maxDowntime(), order.bandwidthMibps(),
                order.autoConverge(), order.postCopyPermitted(), order.deadline());
        ledger.markMigratingOut(instanceUuid, order.migrationUuid());
        watches.put(order.migrationUuid(), new Watch(order.deadline()));
        outgoing.add(order.migrationUuid());
        log.info("starting migration {} of {} from {} to {}", order.migrationUuid(), instanceUuid, host,
                order.destinationHost());
        try {
            driver.startMigration(withGuest, listener(order.migrationUuid(), instanceUuid));
        } catch (RuntimeException e) {
            outgoing.remove(order.migrationUuid());
            throw e;
        }
        events.inventory(this);
        return StepResult.done();
    }

    /**
     * Follows again a job that the hypervisor still runs after this agent restarted (the hypervisor outlives the
     * agent): as its source, the guest is marked migrating out and the returned listener reports the job's
     * progress and end; as its destination, room stays reserved for the guest. Idempotent.
     */
    public synchronized MigrationListener resume(MigrationOrder order) {
        String instanceUuid = order.guest().uuid();
        if (order.sourceHost().equals(host)) {
            ledger.markMigratingOut(instanceUuid, order.migrationUuid());
            outgoing.add(order.migrationUuid());
        }
        if (order.destinationHost().equals(host) && ledger.running(instanceUuid).isEmpty()) {
            ledger.reserveIncoming(order.guest());
        }
        log.info("following migration {} of {} from {} to {} again", order.migrationUuid(), instanceUuid,
                order.sourceHost(), order.destinationHost());
        return listener(order.migrationUuid(), instanceUuid);
    }

    private MigrationListener listener(String migrationUuid, String instanceUuid) {
        return new MigrationListener() {
            @Override
            public void progress(JobReading reading) {
                boolean alone = outgoing.size() == 1 && outgoing.contains(migrationUuid);
                synchronized (loneStreams) {
                    loneStreams.observe(reading, alone);
                }
                events.progress(HostAgent.this, migrationUuid, instanceUuid, reading);
                enforceDeadline(migrationUuid, reading);
            }

            @Override
            public void ended(JobEnd end) {
                jobEnded(migrationUuid, instanceUuid, end);
            }
        };
    }

    /** The order's deadline passed without a decision from the conductor: apply the timeout action, once. */
    private void enforceDeadline(String migrationUuid, JobReading reading) {
        Watch watch = watches.get(migrationUuid);
        if (watch == null || watch.localReason != null) {
            return;
        }
        Optional<CompletionDeadline.LocalAction> due = watch.deadline.due(reading, watch.conductorActed);
        if (due.isEmpty()) {
            return;
        }
        String reason = watch.deadline.reason(due.get(), reading);
        watch.localReason = reason;
        log.warn("migration {} on {}: {}", migrationUuid, host, reason);
        boolean applied = switch (due.get()) {
            case ABORT -> driver.abort(migrationUuid);
            case SWITCH_TO_POST_COPY -> driver.switchToPostCopy(migrationUuid);
            case FORCE_COMPLETE -> driver.forceComplete(migrationUuid);
        };
        if (!applied) {
            log.warn("migration {} on {}: the hypervisor refused the timeout action {}", migrationUuid, host, due.get());
        }
    }

    private void jobEnded(String migrationUuid, String instanceUuid, JobEnd jobEnd) {
        outgoing.remove(migrationUuid);
        Watch watch = watches.remove(migrationUuid);
        JobEnd end = jobEnd;
        if (watch != null && watch.localReason != null) {
            end = new JobEnd(jobEnd.outcome(), watch.localReason + (jobEnd.reason() == null ? ""
                    : " (hypervisor: " + jobEnd.reason() + ")"), jobEnd.downtimeMillis(), jobEnd.elapsedMillis(),
                    jobEnd.iterations(), jobEnd.memoryTotalBytes(), jobEnd.memoryTransferredBytes(), jobEnd.postCopy());
        }
        ended.put(migrationUuid, new Ended(instanceUuid, end));
        synchronized (this) {
            if (end.outcome() != JobEnd.Outcome.COMPLETED) {
                ledger.clearMigratingOut(instanceUuid);
            }
            if (end.outcome() == JobEnd.Outcome.GUEST_LOST) {
                ledger.remove(instanceUuid);
            }
        }
        log.info("migration {} of {} ended on {}: {}{}", migrationUuid, instanceUuid, host, end.outcome(),
                end.reason() == null ? "" : " (" + end.reason() + ")");
        events.jobEnded(this, migrationUuid, instanceUuid, end);
        events.inventory(this);
    }

    public StepResult setMaxDowntime(String migrationUuid, Duration downtime) {
        return directive(() -> driver.setMaxDowntime(migrationUuid, downtime), migrationUuid);
    }

    public StepResult switchToPostCopy(String migrationUuid) {
        conductorActed(migrationUuid);
        return directive(() -> driver.switchToPostCopy(migrationUuid), migrationUuid);
    }

    public StepResult forceComplete(String migrationUuid) {
        conductorActed(migrationUuid);
        return directive(() -> driver.forceComplete(migrationUuid), migrationUuid);
    }

    public StepResult abort(String migrationUuid) {
        conductorActed(migrationUuid);
        return directive(() -> driver.abort(migrationUuid), migrationUuid);
    }

    /** The conductor ended or forced the job itself: the local deadline has nothing left to do. */
    private void conductorActed(String migrationUuid) {
        Watch watch = watches.get(migrationUuid);
        if (watch != null) {
            watch.conductorActed = true;
        }
    }

    /**
     * A directive for a job: done, or refused when no such job runs; for a job that ran here and ended, its end is
     * announced again first (the conductor may have missed it), then the refusal says how it ended.
     */
    private StepResult directive(BooleanSupplier action, String migrationUuid) {
        if (action.getAsBoolean()) {
            return StepResult.done();
        }
        Ended end = ended.get(migrationUuid);
        if (end == null) {
            return StepResult.refused("no migration job " + migrationUuid + " runs on " + host);
        }
        log.info("migration {}: asked about its job, which ended on {} ({}): announcing the end again",
                migrationUuid, host, end.end().outcome());
        events.jobEnded(this, migrationUuid, end.instanceUuid(), end.end());
        return StepResult.refused("the migration job " + migrationUuid + " on " + host + " has ended: "
                + end.end().outcome().name().toLowerCase(java.util.Locale.ROOT));
    }

    public synchronized StepResult postMigrateDestination(Guest guest) {
        Optional<String> problem = confirm(() -> driver.arrivalProblem(guest.uuid()));
        if (problem.isPresent()) {
            log.warn("instance {} did not arrive on {}: {}", guest.uuid(), host, problem.get());
            return StepResult.failed(problem.get());
        }
        ledger.activateIncoming(guest);
        events.inventory(this);
        return StepResult.done();
    }

    public synchronized StepResult cleanupSource(String instanceUuid) {
        Optional<String> problem = confirm(() -> driver.departureProblem(instanceUuid));
        if (problem.isPresent()) {
            log.warn("instance {} did not leave {}: {}", instanceUuid, host, problem.get());
            return StepResult.failed(problem.get());
        }
        ledger.remove(instanceUuid);
        events.inventory(this);
        return StepResult.done();
    }

    public synchronized StepResult rollbackDestination(String instanceUuid) {
        ledger.discardIncoming(instanceUuid);
        events.inventory(this);
        return StepResult.done();
    }

    private Optional<String> confirm(java.util.function.Supplier<Optional<String>> check) {
        try {
            return check.get();
        } catch (RuntimeException e) {
            return Optional.of("hypervisor on " + host + " cannot confirm: " + e.getMessage());
        }
    }

    private static StepResult answer(Admission admission) {
        return switch (admission) {
            case Admission.Accepted accepted -> StepResult.done();
            case Admission.Refused refused -> StepResult.refused(refused.reason());
        };
    }
}
