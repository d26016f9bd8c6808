package io.ferry.it;

import io.ferry.schemas.codec.FerryCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads topics from the beginning on a thread of its own and keeps every record, for tests to await and inspect. */
final class RecordingConsumer implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> records = new CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<ConsumerRecord<String, byte[]>>> hooks = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    RecordingConsumer(String bootstrapServers, Collection<String> topics) {
        consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", bootstrapServers,
                "group.id", "it-recorder-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest",
                "enable.auto.commit", "false"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(topics);
        thread = Thread.ofPlatform().daemon().name("it-recorder").start(() -> {
            try {
                while (running) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        records.add(record);
                        for (java.util.function.Consumer<ConsumerRecord<String, byte[]>> hook : hooks) {
                            hook.accept(record);
                        }
                    }
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                consumer.close();
            }
        });
    }

    /** Runs {@code hook} on the consumer's thread for every record from now on, as soon as it is read. */
    void onRecord(java.util.function.Consumer<ConsumerRecord<String, byte[]>> hook) {
        hooks.add(hook);
    }

    void removeHook(java.util.function.Consumer<ConsumerRecord<String, byte[]>> hook) {
        hooks.remove(hook);
    }

    List<ConsumerRecord<String, byte[]>> records(Predicate<ConsumerRecord<String, byte[]>> filter) {
        return records.stream().filter(filter).toList();
    }

    /** The decodable records of a type, in arrival order. */
    <T extends SpecificRecordBase> List<T> messages(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                SpecificRecordBase message = FerryCodec.decode(record.value());
                if (type.isInstance(message)) {
                    out.add(type.cast(message));
                }
            } catch (RuntimeException e) {
                // not a Ferry message (poison records in tests)
            }
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5000);
    }
}
