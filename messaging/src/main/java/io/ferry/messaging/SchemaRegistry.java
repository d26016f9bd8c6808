package io.ferry.messaging;

import io.ferry.schemas.Topics;
import io.ferry.schemas.codec.FerryCodec;
import io.ferry.schemas.codec.WriterSchemas;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tiny schema registry over Kafka (ADR 7): every service announces the writer schemas of its build on the
 * compacted topic {@link Topics#SCHEMAS} (key: the 64-bit fingerprint in hex, value: the schema's JSON) before it
 * publishes anything; a reader that meets a fingerprint it does not know reads the topic up to its end and finds
 * it there. Unknown fingerprints that nobody announced stay unknown (the record is dead-lettered).
 */
public class SchemaRegistry implements WriterSchemas, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistry.class);
    private static final TopicPartition PARTITION = new TopicPartition(Topics.SCHEMAS, 0);
    private static final Duration CATCH_UP = Duration.ofSeconds(10);

    private final FerryKafkaProperties properties;
    private final Map<Long, Schema> announced = new ConcurrentHashMap<>();
    private KafkaConsumer<String, byte[]> consumer;

    public SchemaRegistry(FerryKafkaProperties properties) {
        this.properties = properties;
    }

    /** The record that announces {@code schema}: what a writer puts on {@link Topics#SCHEMAS}. */
    public static ProducerRecord<String, byte[]> announcement(Schema schema) {
        return new ProducerRecord<>(Topics.SCHEMAS, 0, key(FerryCodec.fingerprint(schema)),
                schema.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String key(long fingerprint) {
        return String.format("%016x", fingerprint);
    }

    /**
     * Announces this build's schemas and waits for the broker's acknowledgement, so no record of ours can reach a
     * reader before its schema. A broker without the topic (an older deployment) gets a warning: readers of this
     * build's version or newer know these schemas anyway.
     */
    public void announce(List<Schema> schemas) {
        Map<String, Object> config = new HashMap<>(properties.clientConfig());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        // an announcement may be written twice (compacted, keyed by fingerprint): no idempotent producer, whose
        // sequence state a partition just created can lose (NOT_LEADER_OR_FOLLOWER, then OUT_OF_ORDER_SEQUENCE_NUMBER
        // until the delivery timeout, seen at start-up right after the topics were created)
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "ferry-schemas-" + UUID.randomUUID().toString().substring(0, 8));
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            var sent = schemas.stream().map(schema -> producer.send(announcement(schema))).toList();
            for (var future : sent) {
                future.get(30, TimeUnit.SECONDS);
            }
            log.info("announced {} writer schemas on {}", schemas.size(), Topics.SCHEMAS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while announcing schemas", e);
        } catch (Exception e) {
            log.warn("cannot announce writer schemas on {} ({}): readers of a newer version will not read this "
                    + "service's records", Topics.SCHEMAS, e.toString());
        }
    }

    @Override
    public Optional<Schema> writerSchema(long fingerprint) {
        Schema known = announced.get(fingerprint);
        if (known != null) {
            return Optional.of(known);
        }
        catchUp();
        return Optional.ofNullable(announced.get(fingerprint));
    }

    /** Reads {@link Topics#SCHEMAS} from where it stopped to its current end. */
    private synchronized void catchUp() {
        try {
            if (consumer == null) {
                Map<String, Object> config = new HashMap<>(properties.clientConfig());
                config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
                config.put(ConsumerConfig.CLIENT_ID_CONFIG, "ferry-schemas-" + UUID.randomUUID().toString().substring(0, 8));
                consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
                consumer.assign(List.of(PARTITION));
                consumer.seekToBeginning(List.of(PARTITION));
            }
            long end = consumer.endOffsets(List.of(PARTITION), CATCH_UP).get(PARTITION);
            long deadline = System.nanoTime() + CATCH_UP.toNanos();
            while (consumer.position(PARTITION, CATCH_UP) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot read " + Topics.SCHEMAS + " to its end in " + CATCH_UP);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    remember(record);
                }
            }
        } catch (KafkaException e) {
            // not poison: the record may be readable once the registry is; the error handler retries
            throw new IllegalStateException("cannot read " + Topics.SCHEMAS + ": " + e, e);
        }
    }

    private void remember(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            Schema schema = new Schema.Parser().parse(new String(record.value(), StandardCharsets.UTF_8));
            long fingerprint = FerryCodec.fingerprint(schema);
            if (key(fingerprint).equals(record.key())) {
                announced.putIfAbsent(fingerprint, schema);
            } else {
                log.warn("ignoring the schema at {}@{}: its key {} is not its fingerprint {}", record.topic(),
                        record.offset(), record.key(), key(fingerprint));
            }
        } catch (SchemaParseException | IllegalArgumentException e) {
            log.warn("ignoring the schema at {}@{}: {}", record.topic(), record.offset(), e.toString());
        }
    }

    @Override
    public synchronized void close() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
            consumer = null;
        }
    }
}
