package io.ferry.gateway.contract;

import io.ferry.messaging.MessagePublisher;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.support.SendResult;

/** Stands in for Kafka in contract tests: keeps what would have been published, in order. */
public class RecordingPublisher extends MessagePublisher {

    /** A message as it would have gone out. */
    public record Sent(String topic, String key, SpecificRecordBase message) {
    }

    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    public RecordingPublisher() {
        super(null);
    }

    @Override
    public CompletableFuture<SendResult<String, byte[]>> send(String topic, String key, SpecificRecordBase message) {
        sent.add(new Sent(topic, key, message));
        return CompletableFuture.completedFuture(new SendResult<>(new ProducerRecord<>(topic, key, new byte[0]),
                metadata(topic)));
    }

    @Override
    public RecordMetadata sendAndWait(String topic, String key, SpecificRecordBase message) {
        sent.add(new Sent(topic, key, message));
        return metadata(topic);
    }

    private static RecordMetadata metadata(String topic) {
        return new RecordMetadata(new TopicPartition(topic, 0), 0, 0, 0, 0, 0);
    }

    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    public void clear() {
        sent.clear();
    }
}
