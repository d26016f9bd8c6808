package io.ferry.messaging;

import io.ferry.schemas.codec.FerryCodec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/** Publishes Ferry messages, encoded by {@link FerryCodec}, with the producer's idempotence and acks=all. */
public class MessagePublisher {

    private final KafkaTemplate<String, byte[]> template;

    public MessagePublisher(KafkaTemplate<String, byte[]> template) {
        this.template = template;
    }

    /** Sends and returns at once. */
    public CompletableFuture<SendResult<String, byte[]>> send(String topic, String key, SpecificRecordBase message) {
        return template.send(new ProducerRecord<>(topic, key, FerryCodec.encode(message)));
    }

    /** Sends and waits until the broker has the record (used where the next step depends on it being durable). */
    public RecordMetadata sendAndWait(String topic, String key, SpecificRecordBase message) {
        try {
            return send(topic, key, message).get(30, TimeUnit.SECONDS).getRecordMetadata();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted while publishing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new PublishFailedException("cannot publish to " + topic + ": " + e.getMessage(), e);
        }
    }

    /** Publishing did not reach the broker in time; the caller decides whether to retry or refuse. */
    public static final class PublishFailedException extends RuntimeException {
        public PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
