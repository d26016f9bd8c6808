package io.ferry.agent.adapter.kafka;

import io.ferry.agent.app.AgentEvents;
import io.ferry.agent.app.HostAgent;
import io.ferry.agent.domain.JobEnd;
import io.ferry.agent.domain.JobReading;
import io.ferry.messaging.MessagePublisher;
import io.ferry.schemas.Topics;
import java.time.Clock;

/** Publishes an agent's inventory on {@code ferry.host.events} and its jobs' progress on {@code ferry.migration.progress}. */
public class KafkaAgentEvents implements AgentEvents {

    private final MessagePublisher publisher;
    private final Clock clock;
    private final BrokerIsolation isolation;

    public KafkaAgentEvents(MessagePublisher publisher, Clock clock) {
        this(publisher, clock, new BrokerIsolation());
    }

    public KafkaAgentEvents(MessagePublisher publisher, Clock clock, BrokerIsolation isolation) {
        this.publisher = publisher;
        this.clock = clock;
        this.isolation = isolation;
    }

    @Override
    public void inventory(HostAgent agent) {
        if (isolation.isolated(agent.host())) {
            return;
        }
        publisher.send(Topics.HOST_EVENTS, agent.host(), AgentMessages.inventory(agent, clock.millis()));
    }

    @Override
    public void progress(HostAgent agent, String migrationUuid, String instanceUuid, JobReading reading) {
        if (isolation.isolated(agent.host())) {
            return;
        }
        publisher.send(Topics.MIGRATION_PROGRESS, migrationUuid,
                AgentMessages.progress(agent.host(), migrationUuid, instanceUuid, reading, clock.millis()));
    }

    @Override
    public void jobEnded(HostAgent agent, String migrationUuid, String instanceUuid, JobEnd end) {
        if (isolation.isolated(agent.host())) {
            return;
        }
        publisher.sendAndWait(Topics.MIGRATION_PROGRESS, migrationUuid,
                AgentMessages.jobEnded(agent.host(), migrationUuid, instanceUuid, end, clock.millis()));
    }
}
