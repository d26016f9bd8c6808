package io.ferry.messaging;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Handles one decoded Ferry message; throwing sends the record through the retry and dead-letter path. */
@FunctionalInterface
public interface FerryMessageHandler {

    void handle(SpecificRecordBase message, ConsumerRecord<String, byte[]> record);
}
