package io.ferry.gateway.adapter.kafka;

import io.ferry.gateway.app.ReadModelCatchUp;
import io.ferry.gateway.app.ReadModelCatchUp.Partition;
import io.ferry.messaging.FerryKafkaProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Feeds {@link ReadModelCatchUp}: at start, a thread asks the broker where each partition of the read models'
 * topics ends (retrying until the broker answers); the listener container's interceptor reports every record once
 * it is done with it, applied or dead-lettered alike, so a poison record at the end of a partition does not keep
 * the gateway catching up forever.
 */
public final class CatchUpTracking {

    private static final Logger log = LoggerFactory.getLogger(CatchUpTracking.class);

    private CatchUpTracking() {
    }

    /** The interceptor to set on the read models' container. */
    public static RecordInterceptor<String, byte[]> interceptor(ReadModelCatchUp catchUp) {
        return new RecordInterceptor<>() {
            @Override
            public ConsumerRecord<String, byte[]> intercept(ConsumerRecord<String, byte[]> record,
                                                            Consumer<String, byte[]> consumer) {
                return record;
            }

            @Override
            public void afterRecord(ConsumerRecord<String, byte[]> record, Consumer<String, byte[]> consumer) {
                boolean before = catchUp.isCaughtUp();
                catchUp.handled(new Partition(record.topic(), record.partition()), record.offset());
                if (!before && catchUp.isCaughtUp()) {
                    log.info("read models: caught up; the API answers from them now");
                }
            }
        };
    }

    /** Starts the thread that finds the end offsets of {@code topics} and gives them to {@code catchUp}. */
    public static void findEndOffsets(FerryKafkaProperties properties, Collection<String> topics,
                                      ReadModelCatchUp catchUp) {
        Thread.ofPlatform().daemon().name("gateway-catch-up").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    catchUp.target(endOffsets(properties, topics));
                    log.info("read models: replaying {}", catchUp.progress());
                    return;
                } catch (RuntimeException e) {
                    log.warn("read models: cannot read the end offsets yet ({}); retrying", e.toString());
                    try {
                        Thread.sleep(Duration.ofSeconds(1));
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        });
    }

    /**
     * Where each partition ends, as the read models' consumer (read_committed) sees it; 0 for a partition whose
     * records are all gone (retention), since there is nothing left to read in it.
     */
    static Map<Partition, Long> endOffsets(FerryKafkaProperties properties, Collection<String> topics) {
        Map<String, Object> config = new HashMap<>(properties.clientConfig());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Duration timeout = Duration.ofSeconds(10);
        try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalStateException("topic " + topic + " has no partitions yet");
                }
                infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
            }
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            Map<Partition, Long> targets = new HashMap<>();
            for (TopicPartition tp : partitions) {
                long e = end.getOrDefault(tp, 0L);
                targets.put(new Partition(tp.topic(), tp.partition()), e > begin.getOrDefault(tp, 0L) ? e : 0L);
            }
            return targets;
        }
    }
}
