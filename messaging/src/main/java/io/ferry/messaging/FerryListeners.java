package io.ferry.messaging;

import io.ferry.schemas.MessageTypes;
import io.ferry.schemas.codec.FerryCodec;
import io.ferry.schemas.codec.PoisonMessageException;
import io.ferry.schemas.codec.WriterSchemas;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;

/**
 * Builds the listener containers of a service: each refuses a record larger than
 * {@code ferry.kafka.max-record-bytes} before decoding it, decodes with {@link FerryCodec} (finding a newer writer's
 * schema in the {@link SchemaRegistry}), accepts only the message types its topics carry, and dead-letters what it
 * cannot handle (see {@link DeadLetters}).
 */
public class FerryListeners {

    /** How a consumer joins: as a member of a work-sharing group, or as a read model that reads everything. */
    public enum Mode {
        /** One group shared by all instances of a service; offsets committed; a new group starts at the beginning. */
        WORK_GROUP,
        /** A group of its own per process, from the beginning, to rebuild a complete view (read models). */
        READ_MODEL
    }

    private final FerryKafkaProperties properties;
    private final KafkaOperations<String, byte[]> template;
    private final WriterSchemas writerSchemas;

    public FerryListeners(FerryKafkaProperties properties, KafkaOperations<String, byte[]> template) {
        this(properties, template, WriterSchemas.NONE);
    }

    public FerryListeners(FerryKafkaProperties properties, KafkaOperations<String, byte[]> template,
                          WriterSchemas writerSchemas) {
        this.properties = properties;
        this.template = template;
        this.writerSchemas = writerSchemas;
    }

    /** Refuses a record above {@code limit} bytes (key and value as serialized) before anything decodes it. */
    static void checkSize(ConsumerRecord<String, byte[]> record, int limit) {
        long size = Math.max(0, record.serializedKeySize()) + (long) Math.max(0, record.serializedValueSize());
        if (size > limit) {
            throw new PoisonMessageException(PoisonMessageException.Reason.OVERSIZED,
                    "record of " + size + " bytes is larger than ferry.kafka.max-record-bytes=" + limit);
        }
    }

    /** A container (started with the Spring context when declared as a bean) for {@code topics}. */
    public ConcurrentMessageListenerContainer<String, byte[]> container(String name, String group, Mode mode,
                                                                       Collection<String> topics,
                                                                       FerryMessageHandler handler) {
        Map<String, Object> config = new HashMap<>(properties.clientConfig());
        String groupId = mode == Mode.READ_MODEL ? group + "-" + UUID.randomUUID() : group;
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // a crashed member is noticed in 10 s (Kafka's default is 45 s), so its partitions move on quickly
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, name + "-" + UUID.randomUUID().toString().substring(0, 8));
        var factory = new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new ByteArrayDeserializer());

        ContainerProperties containerProperties = new ContainerProperties(topics.toArray(String[]::new));
        containerProperties.setGroupId(groupId);
        containerProperties.setAckMode(ContainerProperties.AckMode.RECORD);
        int limit = properties.getMaxRecordBytes();
        containerProperties.setMessageListener((MessageListener<String, byte[]>) record -> {
            checkSize(record, limit);
            SpecificRecordBase message = FerryCodec.decode(record.value(), MessageTypes.carriedBy(record.topic()),
                    writerSchemas);
            handler.handle(message, record);
        });
        var container = new ConcurrentMessageListenerContainer<>(factory, containerProperties);
        container.setBeanName(name);
        container.setCommonErrorHandler(DeadLetters.errorHandler(template, name));
        return container;
    }
}
