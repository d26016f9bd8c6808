package io.ferry.conductor.adapter.kafka;

import io.ferry.conductor.app.EffectPort;
import io.ferry.conductor.config.ConductorProperties;
import io.ferry.conductor.domain.AgentDeadline;
import io.ferry.conductor.domain.Effect;
import io.ferry.conductor.domain.Migration;
import io.ferry.schemas.Envelopes;
import io.ferry.schemas.Topics;
import io.ferry.schemas.common.Envelope;
import io.ferry.schemas.common.InstanceSpec;
import io.ferry.schemas.host.AbortJob;
import io.ferry.schemas.host.CheckDestination;
import io.ferry.schemas.host.CheckSource;
import io.ferry.schemas.host.CleanupSource;
import io.ferry.schemas.host.ForceComplete;
import io.ferry.schemas.host.PostMigrateDestination;
import io.ferry.schemas.host.PrepareDestination;
import io.ferry.schemas.host.RollbackDestination;
import io.ferry.schemas.host.SetMaxDowntime;
import io.ferry.schemas.host.StartMigration;
import io.ferry.schemas.host.SwitchToPostCopy;
import io.ferry.schemas.scheduler.SelectDestination;
import java.time.Clock;
import java.util.ArrayList;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Turns the process's effects into commands on the scheduler's and the hosts' topics, each sent once the records
 * issued before it are stored ({@link PublishPipeline}).
 */
public class KafkaEffects implements EffectPort {

    private final PublishPipeline publisher;
    private final DirectoryFleetView fleet;
    private final ConductorProperties settings;
    private final Clock clock;

    public KafkaEffects(PublishPipeline publisher, DirectoryFleetView fleet, ConductorProperties settings,
                        Clock clock) {
        this.publisher = publisher;
        this.fleet = fleet;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void carryOut(Effect effect, String causationId) {
        switch (effect) {
            case Effect.SelectDestination select -> {
                Migration m = select.migration();
                publisher.command(Topics.SCHEDULER_REQUESTS, m.uuid(), SelectDestination.newBuilder()
                        .setEnvelope(envelope(m, causationId)).setMigrationUuid(m.uuid())
                        .setInstance(spec(m)).setSourceHost(m.sourceHost())
                        .setForcedHost(m.requestedHost()).setForce(m.force())
                        .setIgnoreHosts(new ArrayList<>(select.ignoreHosts()))
                        .setBlockMigration(m.blockMigration()).setMaxAlternates(settings.getMaxAlternates())
                        .build());
            }
            case Effect.ToHost toHost -> publisher.command(Topics.hostCommands(toHost.host()),
                    toHost.migration().uuid(), hostCommand(toHost, causationId));
        }
    }

    private SpecificRecordBase hostCommand(Effect.ToHost order, String causationId) {
        Migration m = order.migration();
        Envelope envelope = envelope(m, causationId);
        String instance = m.instance().uuid();
        return switch (order.step()) {
            case CHECK_DESTINATION -> CheckDestination.newBuilder().setEnvelope(envelope).setMigrationUuid(m.uuid())
                    .setInstanceUuid(instance).setInstance(spec(m)).setSourceHost(m.sourceHost())
                    .setGuestCpu(fleet.guestCpu(instance)).build();
            case PREPARE_DESTINATION -> PrepareDestination.newBuilder().setEnvelope(envelope)
                    .setMigrationUuid(m.uuid()).setInstanceUuid(instance).setInstance(spec(m))
                    .setSourceHost(m.sourceHost()).setGuestCpu(fleet.guestCpu(instance)).build();
            case CHECK_SOURCE -> CheckSource.newBuilder().setEnvelope(envelope).setMigrationUuid(m.uuid())
                    .setInstanceUuid(instance).setDestinationHost(m.destHost()).setBlockMigration(m.blockMigration())
                    .build();
            case START_MIGRATION -> StartMigration.newBuilder().setEnvelope(envelope).setMigrationUuid(m.uuid())
                    .setInstanceUuid(instance).setInstance(spec(m)).setDestinationHost(m.destHost())
                    .setBlockMigration(m.blockMigration()).setMaxDowntimeMs(settings.lifecycle().initialDowntime().toMillis())
                    .setBandwidthMibps(settings.getLiveMigrationBandwidth())
                    .setAutoConverge(settings.isLiveMigrationPermitAutoConverge())
                    .setPostCopyPermitted(settings.isLiveMigrationPermitPostCopy())
                    .setCompletionDeadline(completionDeadline(m, envelope))
                    .setTimeoutAction(settings.getLiveMigrationTimeoutAction()).build();
            case SET_MAX_DOWNTIME -> SetMaxDowntime.newBuilder().setEnvelope(envelope).setMigrationUuid(m.uuid())
                    .setInstanceUuid(instance).setDowntimeMs(order.downtime().toMillis()).build();
            case SWITCH_TO_POST_COPY -> SwitchToPostCopy.newBuilder().setEnvelope(envelope)
                    .setMigrationUuid(m.uuid()).setInstanceUuid(instance).build();
            case FORCE_COMPLETE -> ForceComplete.newBuilder().setEnvelope(envelope).setMigrationUuid(m.uuid())
                    .setInstanceUuid(instance).build();
            case ABORT_JOB -> AbortJob.newBuilder().setEnvelope(envelope).setMigrationUuid(m.uuid())
                    .setInstanceUuid(instance).build();
            case POST_MIGRATE_DESTINATION -> PostMigrateDestination.newBuilder().setEnvelope(envelope)
                    .setMigrationUuid(m.uuid()).setInstanceUuid(instance).setInstance(spec(m))
                    .setSourceHost(m.sourceHost()).build();
            case CLEANUP_SOURCE -> CleanupSource.newBuilder().setEnvelope(envelope).setMigrationUuid(m.uuid())
                    .setInstanceUuid(instance).setDestinationHost(m.destHost()).build();
            case ROLLBACK_DESTINATION -> RollbackDestination.newBuilder().setEnvelope(envelope)
                    .setMigrationUuid(m.uuid()).setInstanceUuid(instance).build();
        };
    }

    /**
     * The source's own deadline: the order's time plus {@link AgentDeadline#budget}; 0 when the completion timeout is
     * off. The agent takes the budget back as {@code completionDeadline - eventTime}, so clocks need not agree.
     */
    private long completionDeadline(Migration m, Envelope envelope) {
        return AgentDeadline.budget(m, settings.lifecycle())
                .map(budget -> envelope.getEventTime() + budget.toMillis()).orElse(0L);
    }

    private InstanceSpec spec(Migration m) {
        return ConductorMessages.spec(m.instance(), fleet.spec(m.instance().uuid()));
    }

    private Envelope envelope(Migration m, String causationId) {
        return Envelopes.of(m.uuid(), causationId, clock.millis(), ConductorMessages.PRODUCER);
    }
}
