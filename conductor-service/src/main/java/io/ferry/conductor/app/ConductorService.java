package io.ferry.conductor.app;

import io.ferry.conductor.domain.Effect;
import io.ferry.conductor.domain.Instance;
import io.ferry.conductor.domain.Migration;
import io.ferry.conductor.domain.MigrationInput;
import io.ferry.conductor.domain.MigrationProcess;
import io.ferry.conductor.domain.MigrationProcess.SourceFacts;
import io.ferry.conductor.domain.MigrationProcess.Step;
import io.ferry.conductor.domain.MigrationSlots;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
        this.migrationLog = migrationLog;
        this.effects = effects;
        this.fleet = fleet;
        this.clock = clock;
        this.process = process;
    }

    /**
     * After a restart, before any input: takes back the recorded migrations and resumes the open ones (sends again
     * what each waits for, asks the source whether a job still runs), then starts what the slots allow.
     */
    public synchronized void recover(Collection<Migration> recorded) {
        for (Migration m : recorded) {
            remember(m);
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

    public synchronized Optional<Migration> migration(String uuid) {
        return Optional.ofNullable(migrations.get(uuid));
    }

    /** Every migration this conductor knows, open or ended. */
    public synchronized List<Migration> migrations() {
        return List.copyOf(migrations.values());
    }

    private void admitQueued(Instant now, String causationId) {
        MigrationSlots.Plan plan = MigrationSlots.plan(open.values(), process.settings().slots());
        for (Migration m : plan.toStart()) {
            apply(process.admit(m, plan.fullDestinations(), now), causationId);
        }
        plan.waiting().forEach((uuid, waiting) -> apply(process.wait(open.get(uuid), waiting, now), causationId));
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
                } else if (record.lastDecision() != null && record.lastDecision() != previous.lastDecision()) {
                    log.info("migration {} of {}: {}: {}", record.uuid(), record.instance().uuid(),
                            record.lastDecision().kind(), record.lastDecision().reason());
                }
                previous = record;
            }
            remember(step.migration());
            for (Effect effect : step.effects()) {
                effects.carryOut(effect, causationId);
            }
        } finally {
            MDC.remove("migration");
            MDC.remove("instance");
        }
    }
}
