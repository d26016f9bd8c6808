package io.ferry.agent.adapter.kafka;

import io.ferry.schemas.Topics;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Fault-injection hook for tests: cuts one host of this agent process off from the broker, as a network partition
 * would, while its hypervisor (and its jobs) keep running. An isolated host reads no command (its topic's partitions
 * are paused, so the commands wait in the log) and nothing it would publish (heartbeat, progress, replies, job ends)
 * reaches the broker: it is lost, as a producer's records are once their delivery timeout passes. Reconnecting resumes
 * both. Never used in production: nothing calls it but {@code FerryCluster.isolateAgent}.
 */
public class BrokerIsolation {

    private static final Logger log = LoggerFactory.getLogger(BrokerIsolation.class);

    private final Set<String> isolated = ConcurrentHashMap.newKeySet();
    private volatile MessageListenerContainer commands;

    /** The container that reads this process's host command topics. */
    public void commandsFrom(MessageListenerContainer container) {
        this.commands = container;
    }

    public void isolate(String host) {
        isolated.add(host);
        pause(host, true);
        log.warn("host {} is cut off from the broker (test hook)", host);
    }

    public void reconnect(String host) {
        pause(host, false);
        isolated.remove(host);
        log.warn("host {} reaches the broker again (test hook)", host);
    }

    /** Whether {@code host} is cut off: what it publishes is dropped. */
    public boolean isolated(String host) {
        return !isolated.isEmpty() && isolated.contains(host);
    }

    private void pause(String host, boolean pause) {
        MessageListenerContainer container = commands;
        if (container == null) {
            return;
        }
        for (int p = 0; p < Topics.HOST_COMMAND_PARTITIONS; p++) {
            TopicPartition partition = new TopicPartition(Topics.hostCommands(host), p);
            if (pause) {
                container.pausePartition(partition);
            } else {
                container.resumePartition(partition);
            }
        }
    }
}
