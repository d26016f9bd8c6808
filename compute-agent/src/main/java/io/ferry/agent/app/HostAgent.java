package io.ferry.agent.app;

import io.ferry.agent.domain.Guest;
import io.ferry.agent.domain.HostLedger;
import io.ferry.agent.domain.HostLedger.Admission;
import io.ferry.agent.domain.JobEnd;
import io.ferry.agent.domain.JobReading;
import io.ferry.agent.domain.MigrationOrder;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent of one hypervisor host: answers the conductor's commands for this host, runs migration jobs through
 * the driver, and keeps the host's ledger true. Methods are synchronized: one command at a time per host.
 */
public class HostAgent {

    private static final Logger log = LoggerFactory.getLogger(HostAgent.class);

    private final String host;
    private final String cell;
    private final HostLedger ledger;
    private final HypervisorDriver driver;
    private final AgentEvents events;
    private volatile boolean enabled = true;
    private volatile String disabledReason;
    private volatile boolean forcedDown;

    public HostAgent(String host, String cell, HostLedger ledger, HypervisorDriver driver, AgentEvents events) {
        this.host = host;
        this.cell = cell;
        this.ledger = ledger;
        this.driver = driver;
        this.events = events;
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

    public String driverName() {
        return driver.name();
    }

    /** A consistent copy of what the inventory reports. */
    public synchronized <T> T read(java.util.function.Function<HostLedger, T> reader) {
        return reader.apply(ledger);
    }

    public synchronized StepResult checkDestination(Guest guest) {
        StepResult ledgerAnswer = answer(ledger.admit(guest));
        if (ledgerAnswer.outcome() != StepResult.Outcome.DONE) {
            return ledgerAnswer;
        }
        try {
            return driver.destinationRefusal(guest, Optional.empty()).map(StepResult::refused)
                    .orElse(StepResult.done());
        } catch (RuntimeException e) {
            log.warn("{} cannot check instance {} as a destination: {}", host, guest.uuid(), e.getMessage());
            return StepResult.failed("hypervisor check on " + host + " failed: " + e.getMessage());
        }
    }

    /** What the hypervisor reports about this host, when the driver has a real one. */
    public Optional<HypervisorDriver.HostFacts> hostFacts() {
        return driver.hostFacts();
    }

    public synchronized StepResult prepareDestination(Guest guest) {
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
                order.autoConverge(), order.postCopyPermitted());
        ledger.markMigratingOut(instanceUuid, order.migrationUuid());
        log.info("starting migration {} of {} from {} to {}", order.migrationUuid(), instanceUuid, host,
                order.destinationHost());
        driver.startMigration(withGuest, listener(order.migrationUuid(), instanceUuid));
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
                events.progress(HostAgent.this, migrationUuid, instanceUuid, reading);
            }

            @Override
            public void ended(JobEnd end) {
                jobEnded(migrationUuid, instanceUuid, end);
            }
        };
    }

    private void jobEnded(String migrationUuid, String instanceUuid, JobEnd end) {
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
        return directive(() -> driver.switchToPostCopy(migrationUuid), migrationUuid);
    }

    public StepResult forceComplete(String migrationUuid) {
        return directive(() -> driver.forceComplete(migrationUuid), migrationUuid);
    }

    public StepResult abort(String migrationUuid) {
        return directive(() -> driver.abort(migrationUuid), migrationUuid);
    }

    private StepResult directive(BooleanSupplier action, String migrationUuid) {
        return action.getAsBoolean() ? StepResult.done()
                : StepResult.refused("no migration job " + migrationUuid + " runs on " + host);
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
