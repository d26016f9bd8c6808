package io.ferry.conductor.app;

import io.ferry.conductor.domain.Effect;
import io.ferry.conductor.domain.Instance;
import io.ferry.conductor.domain.Migration;
import io.ferry.conductor.domain.MigrationInput;
import io.ferry.conductor.domain.MigrationProcess;
import io.ferry.conductor.domain.MigrationProcess.SourceFacts;
import io.ferry.conductor.domain.MigrationProcess.Step;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Owns every migration this conductor runs: one at a time per instance, each input decided by
 * {@link MigrationProcess}, each transition recorded before the effects that depend on it go out. Inputs are
 * handled one at a time (synchronized) and deduplicated by message id.
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
    private final Map<String, Migration> migrations = new HashMap<>();
    private final Map<String, String> activeByInstance = new HashMap<>();
    private final Map<String, Boolean> seen = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_MESSAGES;
        }
    };

    public ConductorService(MigrationLog migrationLog, EffectPort effects, FleetView fleet, Clock clock) {
        this.migrationLog = migrationLog;
        this.effects = effects;
        this.fleet = fleet;
        this.clock = clock;
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
        apply(MigrationProcess.start(queued, facts, now), messageId);
    }

    /** An input for a known migration; unknown migrations are ignored (another conductor, or already forgotten). */
    public synchronized void handle(String migrationUuid, MigrationInput input, String messageId) {
        Migration current = migrations.get(migrationUuid);
        if (current == null || !firstTime(messageId)) {
            return;
        }
        apply(MigrationProcess.decide(current, input), messageId);
    }

    public synchronized Optional<Migration> migration(String uuid) {
        return Optional.ofNullable(migrations.get(uuid));
    }

    private boolean firstTime(String messageId) {
        return seen.put(messageId, Boolean.TRUE) == null;
    }

    private void apply(Step step, String causationId) {
        Migration previous = migrations.get(step.migration().uuid());
        MDC.put("migration", step.migration().uuid());
        MDC.put("instance", step.migration().instance().uuid());
        try {
            for (Migration record : step.records()) {
                migrationLog.record(record, causationId);
                log.info("migration {} of {}: {} -> {}{}", record.uuid(), record.instance().uuid(),
                        previous == null ? "new" : previous.status().novaName(), record.status().novaName(),
                        record.reason() == null ? "" : " (" + record.reason() + ")");
                previous = record;
            }
            Migration m = step.migration();
            migrations.put(m.uuid(), m);
            if (m.status().isTerminal()) {
                activeByInstance.remove(m.instance().uuid(), m.uuid());
            } else {
                activeByInstance.putIfAbsent(m.instance().uuid(), m.uuid());
            }
            for (Effect effect : step.effects()) {
                effects.carryOut(effect, causationId);
            }
        } finally {
            MDC.remove("migration");
            MDC.remove("instance");
        }
    }
}
