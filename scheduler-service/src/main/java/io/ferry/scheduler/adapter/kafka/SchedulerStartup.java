package io.ferry.scheduler.adapter.kafka;

import io.ferry.messaging.FerryKafkaProperties;
import io.ferry.scheduler.app.SchedulingService;
import io.ferry.schemas.MessageTypes;
import io.ferry.schemas.Topics;
import io.ferry.schemas.codec.FerryCodec;
import io.ferry.schemas.codec.WriterSchemas;
import io.ferry.schemas.codec.PoisonMessageException;
import io.ferry.schemas.scheduler.ClaimRecord;
import io.ferry.schemas.scheduler.ClaimState;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Brings the scheduler up in the only safe order:
 * <ol>
 *   <li>before any listener starts, reads {@code ferry.scheduler.claims} from the beginning to its end and restores
 *       every claim (a scheduler that forgot its claims would promise the same room twice);</li>
 *   <li>notes where {@code ferry.host.events} and {@code ferry.migrations} end, and lets the state listener read them;</li>
 *   <li>once the state listener has committed past those ends (every host reported, every ended migration's claim
 *       released or committed), starts the request listener.</li>
 * </ol>
 * Requests that arrive meanwhile wait in Kafka.
 */
public class SchedulerStartup implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SchedulerStartup.class);
    private static final List<String> STATE_TOPICS = List.of(Topics.HOST_EVENTS, Topics.MIGRATIONS);

    private final FerryKafkaProperties kafka;
    private final SchedulingService scheduling;
    private final MessageListenerContainer stateContainer;
    private final MessageListenerContainer requestContainer;
    private final Duration recoveryTimeout;
    private final WriterSchemas writers;
    private final Object monitor = new Object();
    private volatile boolean running;
    private volatile boolean ready;
    private Thread watcher;

    public SchedulerStartup(FerryKafkaProperties kafka, SchedulingService scheduling,
                            MessageListenerContainer stateContainer, MessageListenerContainer requestContainer,
                            Duration recoveryTimeout, WriterSchemas writers) {
        this.kafka = kafka;
        this.writers = writers;
        this.scheduling = scheduling;
        this.stateContainer = stateContainer;
        this.requestContainer = requestContainer;
        this.recoveryTimeout = recoveryTimeout;
    }

    /** Before the listener containers. */
    @Override
    public int getPhase() {
        return AbstractMessageListenerContainer.DEFAULT_PHASE - 100;
    }

    /** Whether requests are being answered. */
    public boolean isReady() {
        return ready;
    }

    @Override
    public void start() {
        synchronized (monitor) {
            if (running) {
                return;
            }
            long started = System.nanoTime();
            Map<TopicPartition, Long> stateEnds;
            try (KafkaConsumer<String, byte[]> consumer = consumer()) {
                replayClaims(consumer);
                stateEnds = consumer.endOffsets(partitions(consumer, STATE_TOPICS), recoveryTimeout);
            }
            log.info("scheduler: claims rebuilt in {} ms; reading host and migration state up to {} records",
                    (System.nanoTime() - started) / 1_000_000, stateEnds.values().stream().mapToLong(Long::longValue).sum());
            running = true;
            watcher = Thread.ofPlatform().daemon().name("scheduler-startup").start(() -> awaitState(stateEnds, started));
        }
    }

    private void replayClaims(KafkaConsumer<String, byte[]> consumer) {
        List<TopicPartition> partitions = partitions(consumer, List.of(Topics.SCHEDULER_CLAIMS));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, recoveryTimeout);
        long deadline = System.nanoTime() + recoveryTimeout.toNanos();
        int read = 0;
        int restored = 0;
        while (!caughtUp(consumer, ends)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + Topics.SCHEDULER_CLAIMS + " to its end within "
                        + recoveryTimeout + ": refusing to schedule without the claims");
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                read++;
                if (restore(record)) {
                    restored++;
                }
            }
        }
        log.info("scheduler: read {} claim records, restored {} claims", read, restored);
    }

    /**
     * Restores the claim one record of the claims log holds, decoded with the writer's schema (a newer compatible
     * version's record is read through the schema registry, as the listeners read it); a poison record is skipped.
     * True when a claim was restored.
     */
    boolean restore(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return false;
        }
        try {
            var message = FerryCodec.decode(record.value(), MessageTypes.carriedBy(record.topic()), writers);
            return message instanceof ClaimRecord claim && claim.getStatus() != ClaimState.UNKNOWN
                    && scheduling.recover(SchedulerMessages.claim(claim));
        } catch (PoisonMessageException | IllegalArgumentException e) {
            log.warn("skipping {}-{}@{} of the claims log: {}", record.topic(), record.partition(),
                    record.offset(), e.toString());
            return false;
        }
    }

    private void awaitState(Map<TopicPartition, Long> ends, long started) {
        long lastLog = System.nanoTime();
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            while (running) {
                String group = stateContainer.getGroupId();
                Map<TopicPartition, OffsetAndMetadata> committed = group == null ? Map.of()
                        : admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                if (reached(committed, ends)) {
                    synchronized (monitor) {
                        if (running) {
                            requestContainer.start();
                            ready = true;
                            log.info("scheduler ready in {} ms: host and migration state read up to start; "
                                    + "answering requests", (System.nanoTime() - started) / 1_000_000);
                        }
                    }
                    return;
                }
                if (System.nanoTime() - lastLog > TimeUnit.SECONDS.toNanos(30)) {
                    log.warn("scheduler: still reading host and migration state (group {}); requests wait", group);
                    lastLog = System.nanoTime();
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.error("scheduler: cannot follow the state listener's progress; requests stay unanswered", e);
        }
    }

    private static boolean reached(Map<TopicPartition, OffsetAndMetadata> committed, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (end.getValue() == 0) {
                continue;
            }
            OffsetAndMetadata at = committed.get(end.getKey());
            if (at == null || at.offset() < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static boolean caughtUp(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, Collection<String> topics) {
        return topics.stream().flatMap(topic -> {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, recoveryTimeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition()));
        }).toList();
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Map<String, Object> config = new HashMap<>(kafka.clientConfig());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "scheduler-recovery-" + UUID.randomUUID().toString().substring(0, 8));
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void stop() {
        Thread t;
        synchronized (monitor) {
            running = false;
            ready = false;
            t = watcher;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
