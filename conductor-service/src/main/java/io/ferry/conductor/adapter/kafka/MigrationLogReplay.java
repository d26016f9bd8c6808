package io.ferry.conductor.adapter.kafka;

import io.ferry.messaging.readmodel.HostDirectory;
import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.host.InstanceState;

import io.ferry.conductor.domain.Migration;
import io.ferry.conductor.domain.drain.Drain;
import io.ferry.messaging.FerryKafkaProperties;
import io.ferry.schemas.MessageTypes;
import io.ferry.schemas.Topics;
import io.ferry.schemas.codec.FerryCodec;
import io.ferry.schemas.codec.PoisonMessageException;
import io.ferry.schemas.codec.WriterSchemas;
import io.ferry.schemas.migration.DrainRecord;
import io.ferry.schemas.migration.MigrationRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted {@code ferry.migrations} (and {@code ferry.drains}) topic from the beginning to its current
 * end, keeping the last record of every migration (and drain): what a restarted conductor takes back before it
 * consumes anything else. Records are decoded as the listeners decode them: a writer schema this build does not know
 * (a newer compatible version wrote the record) is looked up in {@link WriterSchemas} (the schema registry).
 */
public class MigrationLogReplay {

    private static final Logger log = LoggerFactory.getLogger(MigrationLogReplay.class);

    private final FerryKafkaProperties properties;
    private final Duration deadline;
    private final WriterSchemas writers;

    public MigrationLogReplay(FerryKafkaProperties properties, Duration deadline, WriterSchemas writers) {
        this.properties = properties;
        this.deadline = deadline;
        this.writers = writers;
    }

    /** The last recorded state of every migration on the topic. */
    public Collection<Migration> replay() {
        Map<String, Migration> last = new LinkedHashMap<>();
        readToEnd(Topics.MIGRATIONS, message -> {
            MigrationRecord record = (MigrationRecord) message;
            last.put(record.getUuid(), ConductorMessages.migration(record));
        }, last::remove);
        return last.values();
    }

    /**
     * The last record of every drain on {@code ferry.drains}, mapped with this conductor's convergence margin.
     */
    public Collection<Drain> drains(double margin) {
        Map<String, Drain> last = new LinkedHashMap<>();
        readToEnd(Topics.DRAINS, message -> {
            DrainRecord record = (DrainRecord) message;
            last.put(record.getDrainId(), DrainMessages.drain(record, margin));
        }, last::remove);
        return last.values();
    }

    /**
     * Applies {@code ferry.host.events} from the beginning to its current end to {@code directory}, so that a
     * restarted conductor locates instances where the hosts last reported them before it takes a command (its
     * host-events listener, which starts with the other listeners, would otherwise still be replaying old reports
     * when the first command arrives, and send it to a host the instance has left).
     */
    public void hostEvents(HostDirectory directory) {
        readToEnd(Topics.HOST_EVENTS, message -> {
            switch (message) {
                case HostInventory inventory -> directory.apply(inventory);
                case InstanceState state -> directory.apply(state);
                default -> throw new IllegalArgumentException("unexpected " + message.getClass().getSimpleName());
            }
        }, key -> { });
    }

    private void readToEnd(String topic, Consumer<SpecificRecordBase> onRecord, Consumer<String> onTombstone) {
        Map<String, Object> config = new HashMap<>(properties.clientConfig());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Instant giveUp = Instant.now().plus(deadline);
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, deadline).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, deadline);
            long records = 0;
            while (!caughtUp(consumer, end)) {
                if (Instant.now().isAfter(giveUp)) {
                    throw new IllegalStateException("could not read " + topic + " to its end within "
                            + deadline + "; refusing to start on a partial view");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (apply(record, onRecord, onTombstone)) {
                        records++;
                    }
                }
            }
            log.info("replayed {} records from {}", records, topic);
        }
    }

    /**
     * Applies one record of the log: a tombstone, or a message decoded with the writer's schema; a poison record is
     * skipped with a warning. A schema registry that cannot be read is not poison: it fails the replay (the
     * conductor refuses to start on a partial view). True when a message was applied.
     */
    boolean apply(ConsumerRecord<String, byte[]> record, Consumer<SpecificRecordBase> onRecord,
                  Consumer<String> onTombstone) {
        if (record.value() == null) {
            onTombstone.accept(record.key());
            return false;
        }
        SpecificRecordBase message;
        try {
            message = FerryCodec.decode(record.value(), MessageTypes.carriedBy(record.topic()), writers);
        } catch (PoisonMessageException e) {
            log.warn("skipping unreadable record at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.toString());
            return false;
        }
        try {
            onRecord.accept(message);
            return true;
        } catch (RuntimeException e) {
            log.warn("skipping record at {}-{}@{} that cannot be applied: {}", record.topic(), record.partition(),
                    record.offset(), e.toString());
            return false;
        }
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
