package io.ferry.messaging.management;

import io.ferry.messaging.FerryKafkaProperties;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health and metrics of every service: the broker's health indicator, and the management listener on
 * {@code ferry.management.port} (a negative port turns it off; 0 picks a free one, logged at start).
 */
@Configuration(proxyBeanMethods = false)
public class FerryManagementConfiguration {

    @Bean(destroyMethod = "close")
    public KafkaHealthIndicator kafkaHealthIndicator(FerryKafkaProperties properties,
                                                     @Value("${ferry.management.kafka-timeout:3s}") Duration timeout) {
        return new KafkaHealthIndicator(properties, timeout);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("${ferry.management.port:-1} >= 0")
    public ManagementServer managementServer(@Value("${spring.application.name:ferry}") String service,
                                             @Value("${ferry.management.address:127.0.0.1}") String address,
                                             @Value("${ferry.management.port}") int port,
                                             Map<String, HealthIndicator> indicators,
                                             PrometheusMeterRegistry registry) {
        return new ManagementServer(service, address, port, indicators, registry);
    }
}
