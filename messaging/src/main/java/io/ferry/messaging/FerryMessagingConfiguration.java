package io.ferry.messaging;

import io.ferry.messaging.management.FerryManagementConfiguration;
import io.ferry.schemas.codec.FerryCodec;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

/** The Kafka edge of every Ferry service: import it from the service's configuration. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FerryKafkaProperties.class)
@Import(FerryManagementConfiguration.class)
public class FerryMessagingConfiguration {

    static {
        FerryCodec.trustGeneratedClasses();
    }

    @Bean
    public ProducerFactory<String, byte[]> ferryProducerFactory(FerryKafkaProperties properties) {
        Map<String, Object> config = properties.clientConfig();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    @Bean
    public KafkaTemplate<String, byte[]> ferryKafkaTemplate(ProducerFactory<String, byte[]> producerFactory) {
        return new KafkaTemplate<>(producerFactory);
    }

    /** Announces this build's writer schemas (after the topics exist) before anything is published. */
    @Bean(destroyMethod = "close")
    public SchemaRegistry ferrySchemaRegistry(FerryKafkaProperties properties, TopicAdmin topicAdmin) {
        SchemaRegistry registry = new SchemaRegistry(properties);
        registry.announce(FerryCodec.currentSchemas());
        return registry;
    }

    @Bean
    @org.springframework.context.annotation.DependsOn("ferrySchemaRegistry")
    public MessagePublisher messagePublisher(KafkaTemplate<String, byte[]> template) {
        return new MessagePublisher(template);
    }

    @Bean
    public TopicAdmin topicAdmin(FerryKafkaProperties properties) {
        TopicAdmin admin = new TopicAdmin(properties);
        if (properties.isCreateTopics()) {
            admin.createFixedTopics();
        }
        return admin;
    }

    /** With {@code ferry.ready-file} set, the file appears once every listener has its partitions. */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty("ferry.ready-file")
    public ReadinessFile readinessFile(@org.springframework.beans.factory.annotation.Value("${ferry.ready-file}") String file,
                                       java.util.List<org.springframework.kafka.listener.MessageListenerContainer> containers,
                                       org.springframework.beans.factory.ObjectProvider<ReadinessCheck> checks) {
        return new ReadinessFile(java.nio.file.Path.of(file), containers, checks.orderedStream().toList());
    }

    @Bean
    public FerryListeners ferryListeners(FerryKafkaProperties properties, KafkaTemplate<String, byte[]> template,
                                         TopicAdmin topicAdmin, SchemaRegistry schemaRegistry) {
        return new FerryListeners(properties, template, schemaRegistry);
    }
}
