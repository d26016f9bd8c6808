package io.ferry.messaging;

import io.ferry.schemas.Topics;
import io.ferry.schemas.codec.PoisonMessageException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The dead-letter path: a record a consumer cannot decode or validate goes to {@link Topics#DLQ} at once, with
 * headers naming the reason and its origin; a record whose processing keeps failing goes there after a few
 * retries. Either way the consumer commits past it and goes on.
 */
public final class DeadLetters {

    /** Header: why the record is here ({@code MALFORMED}, {@code UNKNOWN_SCHEMA}, ..., {@code PROCESSING_FAILED}). */
    public static final String REASON = "ferry-dlq-reason";
    /** Header: the exception's message. */
    public static final String DETAIL = "ferry-dlq-detail";
    public static final String ORIGINAL_TOPIC = "ferry-dlq-original-topic";
    public static final String ORIGINAL_PARTITION = "ferry-dlq-original-partition";
    public static final String ORIGINAL_OFFSET = "ferry-dlq-original-offset";
    public static final String CONSUMER = "ferry-dlq-consumer";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private DeadLetters() {
    }

    /** The error handler every Ferry listener container uses. */
    public static DefaultErrorHandler errorHandler(KafkaOperations<?, ?> template, String consumerName) {
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(Topics.DLQ, -1));
        recoverer.setHeadersFunction((record, exception) -> headers(record, exception, consumerName));
        DefaultErrorHandler handler = new DefaultErrorHandler((record, exception) -> {
            Throwable cause = rootCause(exception);
            if (cause instanceof PoisonMessageException) {
                log.warn("dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), cause.toString());
            } else {
                log.error("dead-lettering {}-{}@{} after retries: {}", record.topic(), record.partition(),
                        record.offset(), cause.toString(), cause);
            }
            recoverer.accept(record, exception);
        }, new FixedBackOff(200L, 3L));
        handler.addNotRetryableExceptions(PoisonMessageException.class);
        handler.setCommitRecovered(true);
        return handler;
    }

    private static Headers headers(ConsumerRecord<?, ?> record, Exception exception, String consumerName) {
        Throwable cause = rootCause(exception);
        String reason = cause instanceof PoisonMessageException poison ? poison.reason().name() : "PROCESSING_FAILED";
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON, bytes(reason));
        headers.add(DETAIL, bytes(cause.toString()));
        headers.add(ORIGINAL_TOPIC, bytes(record.topic()));
        headers.add(ORIGINAL_PARTITION, bytes(Integer.toString(record.partition())));
        headers.add(ORIGINAL_OFFSET, bytes(Long.toString(record.offset())));
        headers.add(CONSUMER, bytes(consumerName));
        return headers;
    }

    /** The innermost cause, where the {@link PoisonMessageException} sits under Spring's wrappers. */
    public static Throwable rootCause(Throwable exception) {
        Throwable cause = exception;
        while (cause.getCause() != null && cause.getCause() != cause) {
            if (cause instanceof PoisonMessageException) {
                return cause;
            }
            cause = cause.getCause();
        }
        return cause;
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
