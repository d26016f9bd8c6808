package io.ferry.agent.adapter.kafka;

import io.ferry.agent.app.HostAgent;
import io.ferry.agent.app.StepResult;
import io.ferry.agent.domain.CompletionDeadline;
import io.ferry.agent.domain.MigrationOrder;
import io.ferry.messaging.MessagePublisher;
import io.ferry.schemas.Topics;
import io.ferry.schemas.codec.PoisonMessageException;
import io.ferry.schemas.common.Envelope;
import io.ferry.schemas.host.AbortJob;
import io.ferry.schemas.host.CheckDestination;
import io.ferry.schemas.host.CheckSource;
import io.ferry.schemas.host.CleanupSource;
import io.ferry.schemas.host.ForceComplete;
import io.ferry.schemas.host.PostMigrateDestination;
import io.ferry.schemas.host.PrepareDestination;
import io.ferry.schemas.host.RollbackDestination;
import io.ferry.schemas.host.SetMaxDowntime;
import io.ferry.schemas.host.SetServiceStatus;
import io.ferry.schemas.host.StartMigration;
import io.ferry.schemas.host.SwitchToPostCopy;
import io.ferry.schemas.migration.HostStep;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Turns the commands on {@code ferry.host.<host>.commands} into calls on that host's agent, and answers each. */
public class HostCommandListener {

    private static final Logger log = LoggerFactory.getLogger(HostCommandListener.class);

    private final Map<String, HostAgent> agents;
    private final MessagePublisher publisher;
    private final Clock clock;
    private final BrokerIsolation isolation;

    public HostCommandListener(Map<String, HostAgent> agents, MessagePublisher publisher, Clock clock) {
        this(agents, publisher, clock, new BrokerIsolation());
    }

    public HostCommandListener(Map<String, HostAgent> agents, MessagePublisher publisher, Clock clock,
                               BrokerIsolation isolation) {
        this.agents = agents;
        this.publisher = publisher;
        this.clock = clock;
        this.isolation = isolation;
    }

    public void handle(SpecificRecordBase message, ConsumerRecord<String, byte[]> record) {
        String host = Topics.hostOfCommandTopic(record.topic());
        HostAgent agent = host == null ? null : agents.get(host);
        if (agent == null) {
            throw new PoisonMessageException(PoisonMessageException.Reason.INVALID,
                    "no agent for host topic " + record.topic());
        }
        MDC.put("source", host);
        try {
            switch (message) {
                case CheckDestination c -> answer(agent, c.getEnvelope(), c.getMigrationUuid(), HostStep.CHECK_DESTINATION,
                        agent.checkDestination(AgentMessages.guest(c.getInstance()).withCpuDefinition(c.getGuestCpu())));
                case PrepareDestination c -> answer(agent, c.getEnvelope(), c.getMigrationUuid(), HostStep.PREPARE_DESTINATION,
                        agent.prepareDestination(AgentMessages.guest(c.getInstance()).withCpuDefinition(c.getGuestCpu())));
                case CheckSource c -> answer(agent, c.getEnvelope(), c.getMigrationUuid(), HostStep.CHECK_SOURCE,
                        agent.checkSource(c.getInstanceUuid()));
                case StartMigration c -> answer(agent, c.getEnvelope(), c.getMigrationUuid(), HostStep.START_MIGRATION,
                        agent.startMigration(new MigrationOrder(c.getMigrationUuid(), AgentMessages.guest(c.getInstance()),
                                host, c.getDestinationHost(), c.getBlockMigration(),
                                Duration.ofMillis(c.getMaxDowntimeMs()), c.getBandwidthMibps(), c.getAutoConverge(),
                                c.getPostCopyPermitted(), CompletionDeadline.fromOrder(c.getCompletionDeadline(),
                                        c.getEnvelope().getEventTime(), c.getTimeoutAction(),
                                        c.getPostCopyPermitted()))));
                case SetMaxDowntime c -> answer(agent, c.getEnvelope(), c.getMigrationUuid(), HostStep.SET_MAX_DOWNTIME,
                        agent.setMaxDowntime(c.getMigrationUuid(), Duration.ofMillis(c.getDowntimeMs())));
                case SwitchToPostCopy c -> answer(agent, c.getEnvelope(), c.getMigrationUuid(), HostStep.SWITCH_TO_POST_COPY,
                        agent.switchToPostCopy(c.getMigrationUuid()));
                case ForceComplete c -> answer(agent, c.getEnvelope(), c.getMigrationUuid(), HostStep.FORCE_COMPLETE,
                        agent.forceComplete(c.getMigrationUuid()));
                case AbortJob c -> answer(agent, c.getEnvelope(), c.getMigrationUuid(), HostStep.ABORT_JOB,
                        agent.abort(c.getMigrationUuid()));
                case PostMigrateDestination c -> answer(agent, c.getEnvelope(), c.getMigrationUuid(),
                        HostStep.POST_MIGRATE_DESTINATION, agent.postMigrateDestination(AgentMessages.guest(c.getInstance())));
                case CleanupSource c -> answer(agent, c.getEnvelope(), c.getMigrationUuid(), HostStep.CLEANUP_SOURCE,
                        agent.cleanupSource(c.getInstanceUuid()));
                case RollbackDestination c -> answer(agent, c.getEnvelope(), c.getMigrationUuid(),
                        HostStep.ROLLBACK_DESTINATION, agent.rollbackDestination(c.getInstanceUuid()));
                case SetServiceStatus c -> agent.setServiceStatus(c.getEnabled(), c.getDisabledReason(),
                        c.getForcedDown());
                default -> throw new PoisonMessageException(PoisonMessageException.Reason.UNEXPECTED_TYPE,
                        message.getClass().getSimpleName() + " is not a host command");
            }
        } finally {
            MDC.remove("source");
        }
    }

    private void answer(HostAgent agent, Envelope cause, String migrationUuid, HostStep step, StepResult result) {
        if (result.outcome() != StepResult.Outcome.DONE) {
            log.info("{} {} for migration {}: {} ({})", agent.host(), step, migrationUuid, result.outcome(), result.reason());
        }
        if (isolation.isolated(agent.host())) {
            return;
        }
        publisher.sendAndWait(Topics.MIGRATION_PROGRESS, migrationUuid,
                AgentMessages.reply(cause, migrationUuid, agent.host(), step, result, clock.millis()));
    }
}
