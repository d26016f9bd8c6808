package io.ferry.architecture.sample.domain;

import org.apache.kafka.common.TopicPartition;

/** A deliberately bad domain class: it imports Kafka and reads the wall clock. */
public class BadDomainClass {

    public long now(TopicPartition partition) {
        return System.currentTimeMillis() + partition.partition();
    }
}
