package io.ferry.conductor.app;

import io.ferry.conductor.domain.AgentStep;
import io.ferry.conductor.domain.Effect;
import io.ferry.conductor.domain.Instance;
import io.ferry.conductor.domain.Migration;
import io.ferry.conductor.domain.MigrationInput;
import io.ferry.conductor.domain.MigrationProcess;
import io.ferry.conductor.domain.MigrationProcess.SourceFacts;
import io.ferry.conductor.domain.MigrationProcess.Step;
import io.ferry.conductor.domain.MigrationSlots;
import io.ferry.conductor.domain.MigrationStatus;
import io.ferry.conductor.domain.drain.Drain;
import io.ferry.conductor.domain.drain.DrainAdmission;
import io.ferry.conductor.domain.drain.DrainCandidate;
import io.ferry.conductor.domain.drain.DrainEntry;
import io.ferry.conductor.domain.drain.DrainPlan;
import io.ferry.conductor.domain.drain.DrainPlanner;
import io.ferry.conductor.domain.drain.DrainSettings;
import io.ferry.conductor.domain.drain.DrainStatus;
import io.ferry.conductor.domain.drain.DrainStop;
import io.ferry.conductor.domain.drain.StreamRule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Owns every migration this conductor runs: one at a time per instance, each input decided by
 * {@link MigrationProcess}, each transition recorded before the effects that depend on it go out, queued migrations
 * started as slots free ({@link MigrationSlots}). Inputs are handled one at a time (synchronized) and deduplicated by
 * message id; the process itself ignores what its state does not expect, so a redelivery after a restart is harmless.
 */
public class ConductorService {

    private static final Logger log = LoggerFactory.getLogger(ConductorService.class);
    private static final int REMEMBERED_MESSAGES = 100_000;

    /** An operator's request, as the command carried it. */
    public record LiveMigrateRequest(long id, String migrationUuid, String instanceUuid, String targetHost,
                                     Boolean blockMigration, boolean force, String userId, String projectId) {
    }

    private final MigrationLog migrationLog;
    private final EffectPort effects;
    private final FleetView fleet;
    private final Clock clock;
    private final MigrationProcess process;
    private final DrainPort drainPort;
    private final DrainPlanner planner;
    private final Map<String, Drain> drains = new LinkedHashMap<>();
    private final Map<String, String> drainOfMigration = new HashMap<>();
    /** Starts of drain migrations held back until the NIC rule lets them stream, by migration uuid. */
    private final Map<String, Effect.ToHost> heldStarts = new LinkedHashMap<>();
    private final Map<String, Migration> migrations = new HashMap<>();
    private final Map<String, Migration> open = new LinkedHashMap<>();
    private final Map<String, String> activeByInstance = new HashMap<>();
    private final Map<String, Boolean> seen = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_MESSAGES;
        }
    };

    public ConductorService(MigrationLog migrationLog, EffectPort effects, FleetView fleet, Clock clock,
                            MigrationProcess process) {
        this(migrationLog, effects, fleet, clock, process, DrainPort.NONE, new DrainPlanner(DrainSettings.defaults()));
    }

    public ConductorService(MigrationLog migrationLog, EffectPort effects, FleetView fleet, Clock clock,
                            MigrationProcess process, DrainPort drainPort, DrainPlanner planner) {
        this.migrationLog = migrationLog;
        this.effects = effects;
        this.fleet = fleet;
        this.clock = clock;
        this.process = process;
        this.drainPort = drainPort;
        this.planner = planner;
    }

    /**
     * After a restart, before any input: takes back the recorded migrations and resumes the open ones (sends again
     * what each waits for, asks the source whether a job still runs), then starts what the slots allow.
     */
    public synchronized void recover(Collection<Migration> recorded) {
        recover(recorded, List.of());
    }

    /**
     * After a restart: takes back the recorded drains and migrations. A running drain asks again for the migrations
     * it has no record of (a crash between its record and its commands; the uuids are the same, so a command that
     * did go out is not doubled), then everything carries on as above, the drains' rules included.
     */
    public synchronized void recover(Collection<Migration> recorded, Collection<Drain> recordedDrains) {
        for (Drain drain : recordedDrains) {
            drains.put(drain.id(), drain);
            drain.migrations().forEach(e -> drainOfMigration.put(e.migrationUuid(), drain.id()));
        }
        for (Migration m : recorded) {
            remember(m);
            observeForDrain(m, "recovery");
        }
        for (Drain drain : List.copyOf(drains.values())) {
            List<DrainEntry> missing = drain.migrations().stream()
                    .filter(e -> !migrations.containsKey(e.migrationUuid())).toList();
            if (drain.status() == DrainStatus.RUNNING && !missing.isEmpty()) {
                log.info("drain {} of {}: asking again for {} migrations it has no record of", drain.id(),
                        drain.request().host(), missing.size());
                drainPort.requestMigrations(drain, missing, "recovery");
            }
        }
        Instant now = clock.instant();
        for (Migration m : new ArrayList<>(open.values())) {
            log.info("resuming migration {} of {} in {} (waiting for {})", m.uuid(), m.instance().uuid(),
                    m.status().novaName(), m.awaiting());
            apply(process.resume(m, now), "recovery");
        }
        admitQueued(now, "recovery");
    }

    /** A new live-migration request. */
    public synchronized void liveMigrate(LiveMigrateRequest request, String messageId) {
        if (!firstTime(messageId) || migrations.containsKey(request.migrationUuid())) {
            return;
        }
        var now = clock.instant();
        Optional<FleetView.Location> location = fleet.locate(request.instanceUuid());
        Instance instance = location.map(FleetView.Location::instance)
                .orElse(new Instance(request.instanceUuid(), request.instanceUuid(), 0, 0, 0, request.projectId(),
                        request.userId()));
        String source = location.map(FleetView.Location::host).orElse("unknown");
        Migration queued = Migration.queued(request.id(), request.migrationUuid(), instance, source,
                request.targetHost(), request.force(), Boolean.TRUE.equals(request.blockMigration()), now);
        String refusal = null;
        String active = activeByInstance.get(request.instanceUuid());
        if (active != null) {
            refusal = "instance " + request.instanceUuid() + " is already being migrated (migration " + active + ")";
        } else if (request.targetHost() != null && request.targetHost().equals(source)) {
            refusal = "the destination " + request.targetHost() + " is the instance's current host";
        } else if (location.isPresent() && !"active".equals(location.get().vmState())
                && !"paused".equals(location.get().vmState())) {
            refusal = "instance is in vm_state " + location.get().vmState() + ", not active or paused";
        }
        SourceFacts facts = new SourceFacts(location.isPresent(), location.map(FleetView.Location::hostUp).orElse(false),
                refusal);
        apply(process.start(queued, facts, now), messageId);
        admitQueued(now, messageId);
    }

    /** An input for a known migration; unknown migrations are ignored (another conductor, or already forgotten). */
    public synchronized void handle(String migrationUuid, MigrationInput input, String messageId) {
        Migration current = migrations.get(migrationUuid);
        if (current == null || !firstTime(messageId)) {
            return;
        }
        apply(process.decide(current, input), messageId);
        admitQueued(input.at(), messageId);
    }

    /**
     * The periodic liveness check: every open migration learns how long the hosts it waits for have been silent, and
     * the process ends those whose host is lost ({@code host-heartbeat-timeout}) or asks a source whose job stopped
     * reporting. Does nothing when no host at all was heard within the timeout: then this conductor is cut off, not
     * the agents.
     */
    public synchronized void checkLiveness(HostLiveness liveness) {
        var settings = process.settings().liveness();
        if (!settings.heartbeatCheckEnabled() || open.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        if (!liveness.anyHeardWithin(settings.hostHeartbeatTimeout(), now)) {
            log.warn("no host heard for {} s: this conductor looks cut off; no migration is ended for silence",
                    settings.hostHeartbeatTimeout().toSeconds());
            return;
        }
        String causation = "liveness-check@" + now.toEpochMilli();
        boolean changed = false;
        for (Migration m : new ArrayList<>(open.values())) {
            Map<String, Duration> silences = new LinkedHashMap<>();
            for (String host : process.watchedHosts(m)) {
                silences.put(host, liveness.silentFor(host, now));
            }
            Step step = process.decide(m, new MigrationInput.LivenessCheck(silences, now));
            if (step.migration() != m || !step.records().isEmpty() || !step.effects().isEmpty()) {
                apply(step, causation);
                changed = true;
            }
        }
        if (changed) {
            admitQueued(now, causation);
        }
    }

    /**
     * Drain a host: plan it from the host's last report, record the drain, then ask for one migration per instance
     * that can live-migrate (each a command of its own). Its migrations start as the plan's rule admits them. A dry
     * run records the plan only. A redelivered request (same drain id) changes nothing.
     */
    public synchronized void drainHost(Drain.Request request, String messageId) {
        if (!firstTime(messageId) || drains.containsKey(request.drainId())) {
            return;
        }
        Instant now = clock.instant();
        Optional<FleetView.SourceHost> source = fleet.host(request.host());
        Optional<Drain> underWay = request.dryRun() ? Optional.empty() : drains.values().stream()
                .filter(d -> d.request().host().equals(request.host()) && !d.request().dryRun()
                        && (d.status() == DrainStatus.RUNNING || d.status() == DrainStatus.STOPPING))
                .findFirst();
        Drain drain;
        if (underWay.isPresent()) {
            // the conductor is the authority: a gateway that gave up waiting for the first drain's record (or a
            // second gateway) may ask again; the host's migrations are never asked for twice
            drain = Drain.failed(request, "host " + request.host() + " is already being drained (drain "
                    + underWay.get().id() + ")", now);
            log.info("drain {} of {}: refused: {}", drain.id(), request.host(), drain.note());
        } else if (source.isEmpty()) {
            drain = Drain.failed(request, "host " + request.host() + " is unknown (no report from its agent)", now);
        } else {
            List<DrainCandidate> candidates = source.get().instances().stream()
                    .map(c -> activeByInstance.containsKey(c.instanceUuid()) && !c.migrating()
                            ? new DrainCandidate(c.instanceUuid(), c.name(), c.memory(), c.dirtyRate(),
                            c.pciDevices(), c.vmState(), true) : c)
                    .toList();
            DrainPlan plan = planner.plan(request.host(), source.get().nic(), source.get().streamBandwidth(),
                    candidates);
            drain = Drain.planned(request, plan, now);
            log.info("drain {} of {}: {} migrations, {} not live-migratable; NIC {}, one stream {} ({}), up to {} at "
                            + "once; lower bound {} s, predicted {} s ({})",
                    drain.id(), request.host(), plan.migrations().size(), plan.excluded().size(), plan.nic(),
                    plan.rule().oneStream(), plan.rule().streamBandwidth().isZero() ? "not measured" : "measured",
                    plan.rule().maxStreams(), seconds(plan.lowerBound()), seconds(plan.predictedTotal()),
                    drain.status().wireName());
        }
        drains.put(drain.id(), drain);
        drain.migrations().forEach(e -> drainOfMigration.put(e.migrationUuid(), drain.id()));
        drainPort.record(drain, messageId);
        if (drain.status() == DrainStatus.RUNNING) {
            if (request.disableHost()) {
                drainPort.disableHost(request.host(), request.reason() == null || request.reason().isBlank()
                        ? "drained by Ferry (drain " + drain.id() + ")" : request.reason(), messageId);
            }
            drainPort.requestMigrations(drain, drain.migrations(), messageId);
        }
    }

    /** Stop a drain: none of its migrations starts any more (queued ones are cancelled); running ones finish. */
    public synchronized void abortDrain(String drainId, String reason, String messageId) {
        abortDrain(drainId, reason, false, messageId);
    }

    /**
     * Stop a drain: none of its migrations starts any more (queued ones, and those prepared but not streaming, are
     * cancelled). With {@code abortRunning} its migrations streaming in pre-copy are aborted as well, the way an
     * operator aborts one migration (the guest stays on its source); those in post-copy or post-migrating cannot
     * be aborted safely and finish. The drain is stopped once every migration of it ended; its note counts them.
     * A repeated stop changes nothing.
     */
    public synchronized void abortDrain(String drainId, String reason, boolean abortRunning, String messageId) {
        Drain drain = drains.get(drainId);
        if (drain == null || !firstTime(messageId)) {
            return;
        }
        Instant now = clock.instant();
        List<Migration> toAbort = new ArrayList<>();
        DrainStop stop = stopOf(drain, reason, abortRunning, toAbort);
        Drain.Change change = drain.stop(stop, now);
        if (!change.record()) {
            return;
        }
        drains.put(drainId, change.drain());
        drainPort.record(change.drain(), messageId);
        log.info("drain {} of {}: {} ({})", drainId, drain.request().host(), change.drain().status().wireName(),
                change.drain().note());
        for (Migration m : toAbort) {
            apply(process.decide(m, new MigrationInput.AbortRequested(now)), messageId);
        }
        admitQueued(now, messageId);
    }

    /** How a stop treats each migration of the drain not ended yet; the pre-copy streams to abort go to {@code toAbort}. */
    private DrainStop stopOf(Drain drain, String why, boolean abortRunning, List<Migration> toAbort) {
        int running = 0;
        int postCopy = 0;
        int postMigrating = 0;
        int cancelled = 0;
        for (DrainEntry e : drain.migrations()) {
            Migration m = migrations.get(e.migrationUuid());
            if (m == null) {
                cancelled++; // its command is on its way: it is cancelled as soon as it arrives
                continue;
            }
            // a migration whose start went out streams, or is about to: a stop treats it as running
            boolean streaming = m.status() == MigrationStatus.RUNNING || m.status() == MigrationStatus.PREPARING
                    && m.awaiting() == AgentStep.START_MIGRATION && !heldStarts.containsKey(m.uuid());
            switch (m.status()) {
                case ACCEPTED, QUEUED -> cancelled++;
                case PREPARING, RUNNING -> {
                    if (streaming) {
                        running++;
                    } else {
                        cancelled++;
                    }
                }
                case RUNNING_POST_COPY -> postCopy++;
                case POST_MIGRATING -> postMigrating++;
                case COMPLETED, FAILED, CANCELLED, ERROR -> {
                }
            }
            if (abortRunning && streaming) {
                toAbort.add(m);
            }
        }
        return abortRunning
                ? new DrainStop(why, true, running, 0, postCopy, postMigrating, cancelled)
                : new DrainStop(why, false, 0, running, postCopy, postMigrating, cancelled);
    }

    public synchronized Optional<Drain> drain(String drainId) {
        return Optional.ofNullable(drains.get(drainId));
    }

    public synchronized Optional<Migration> migration(String uuid) {
        return Optional.ofNullable(migrations.get(uuid));
    }

    /** Every migration this conductor knows, open or ended. */
    public synchronized List<Migration> migrations() {
        return List.copyOf(migrations.values());
    }

    private void admitQueued(Instant now, String causationId) {
        for (Migration m : new ArrayList<>(open.values())) {
            String drainId = drainOfMigration.get(m.uuid());
            if (drainId == null || drains.get(drainId).admitting()) {
                continue;
            }
            if (m.status() == MigrationStatus.QUEUED) {
                apply(process.decide(m, new MigrationInput.AbortRequested(now)), causationId);
            } else if (m.status() == MigrationStatus.PREPARING) {
                // not streaming yet (still being prepared, or prepared ahead with its start held back and never
                // sent): nothing runs on the source, so it is cancelled and its destination released
                boolean held = heldStarts.remove(m.uuid()) != null;
                if (held || m.awaiting() != AgentStep.START_MIGRATION) {
                    apply(process.decide(held ? m.awaiting(null) : m, new MigrationInput.AbortRequested(now)),
                            causationId);
                }
            }
        }
        releaseHeldStarts(causationId);
        MigrationSlots.Plan plan = MigrationSlots.plan(open.values(), process.settings().slots(), drainAdmission());
        for (Migration m : plan.toStart()) {
            apply(process.admit(m, plan.fullDestinations(), now), causationId);
        }
        plan.waiting().forEach((uuid, waiting) -> apply(process.wait(open.get(uuid), waiting, now), causationId));
    }

    /** Sends the held starts the NIC rule now admits (a drain's next migration prepared ahead). */
    private void releaseHeldStarts(String causationId) {
        heldStarts.keySet().removeIf(uuid -> {
            Migration m = open.get(uuid);
            return m == null || m.status() != MigrationStatus.PREPARING;
        });
        if (heldStarts.isEmpty()) {
            return;
        }
        for (String uuid : MigrationSlots.releasable(open.values(), drainAdmission())) {
            Effect.ToHost start = heldStarts.remove(uuid);
            Migration m = open.get(uuid);
            MDC.put("migration", uuid);
            try {
                log.info("migration {} of {}: the source NIC admits its stream; starting it", uuid,
                        m.instance().uuid());
                effects.carryOut(new Effect.ToHost(start.host(), start.step(), m, start.downtime()), causationId);
            } finally {
                MDC.remove("migration");
            }
        }
    }

    /** The tickets of the open migrations of running drains, and the rules of the hosts they drain. */
    private DrainAdmission drainAdmission() {
        Map<String, DrainAdmission.Ticket> tickets = new HashMap<>();
        Map<String, StreamRule> rules = new HashMap<>();
        for (Drain drain : drains.values()) {
            if (drain.plan() == null || drain.status().isFinal()) {
                continue;
            }
            rules.put(drain.request().host(), drain.plan().rule());
            boolean gap = false;
            for (DrainEntry e : drain.migrations()) {
                if (open.containsKey(e.migrationUuid())) {
                    tickets.put(e.migrationUuid(), new DrainAdmission.Ticket(drain.id(), e.order(), e.needed(), gap,
                            heldStarts.containsKey(e.migrationUuid())));
                }
                gap |= !migrations.containsKey(e.migrationUuid());
            }
        }
        return new DrainAdmission(tickets, rules);
    }

    /** Takes a migration's new record into its drain, and records the drain when a reader would see a change. */
    private void observeForDrain(Migration m, String causationId) {
        String drainId = drainOfMigration.get(m.uuid());
        if (drainId == null) {
            return;
        }
        Drain before = drains.get(drainId);
        Drain.Change change = before.observe(m, m.updatedAt());
        drains.put(drainId, change.drain());
        if (change.record()) {
            drainPort.record(change.drain(), causationId);
            if (change.drain().status() != before.status()) {
                log.info("drain {} of {}: {} -> {} ({} of {} completed)", drainId, before.request().host(),
                        before.status().wireName(), change.drain().status().wireName(), change.drain().completed(),
                        change.drain().total());
            }
        }
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }

    private boolean firstTime(String messageId) {
        return seen.put(messageId, Boolean.TRUE) == null;
    }

    private void remember(Migration m) {
        migrations.put(m.uuid(), m);
        if (m.status().isTerminal()) {
            open.remove(m.uuid());
            activeByInstance.remove(m.instance().uuid(), m.uuid());
        } else {
            open.put(m.uuid(), m);
            activeByInstance.putIfAbsent(m.instance().uuid(), m.uuid());
        }
    }

    private void apply(Step step, String causationId) {
        Migration previous = migrations.get(step.migration().uuid());
        MDC.put("migration", step.migration().uuid());
        MDC.put("instance", step.migration().instance().uuid());
        try {
            for (Migration record : step.records()) {
                migrationLog.record(record, causationId);
                if (previous == null || previous.status() != record.status()) {
                    log.info("migration {} of {}: {} -> {}{}", record.uuid(), record.instance().uuid(),
                            previous == null ? "new" : previous.status().novaName(), record.status().novaName(),
                            record.reason() == null ? "" : " (" + record.reason() + ")");
                } else if (record.vmLocation() != null && !record.vmLocation().equals(previous.vmLocation())) {
                    log.info("migration {} of {}: still {}: {}; to do: {}", record.uuid(), record.instance().uuid(),
                            record.status().novaName(), record.vmLocation(), record.operatorAction());
                } else if (record.lastDecision() != null && record.lastDecision() != previous.lastDecision()) {
                    log.info("migration {} of {}: {}: {}", record.uuid(), record.instance().uuid(),
                            record.lastDecision().kind(), record.lastDecision().reason());
                }
                previous = record;
            }
            remember(step.migration());
            observeForDrain(step.migration(), causationId);
            for (Effect effect : step.effects()) {
                if (effect instanceof Effect.ToHost start && start.step() == AgentStep.START_MIGRATION
                        && drainOfMigration.containsKey(start.migration().uuid())) {
                    heldStarts.put(start.migration().uuid(), start);
                    continue;
                }
                effects.carryOut(effect, causationId);
            }
        } finally {
            MDC.remove("migration");
            MDC.remove("instance");
        }
    }
}
