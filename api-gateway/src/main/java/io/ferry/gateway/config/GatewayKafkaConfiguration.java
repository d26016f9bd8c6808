package io.ferry.gateway.config;

import io.ferry.gateway.adapter.kafka.CatchUpTracking;
import io.ferry.gateway.adapter.kafka.ReadModelListener;
import io.ferry.gateway.app.DrainView;
import io.ferry.gateway.app.MigrationView;
import io.ferry.gateway.app.ReadModelCatchUp;
import io.ferry.messaging.FerryKafkaProperties;
import io.ferry.messaging.FerryListeners;
import io.ferry.messaging.FerryMessagingConfiguration;
import io.ferry.messaging.ReadinessCheck;
import io.ferry.messaging.readmodel.HostDirectory;
import io.ferry.schemas.Topics;
import java.util.List;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/** The gateway's Kafka side: the publisher (from the messaging module) and the read models' listener. */
@Configuration(proxyBeanMethods = false)
@Import(FerryMessagingConfiguration.class)
public class GatewayKafkaConfiguration {

    private static final List<String> READ_MODEL_TOPICS =
            List.of(Topics.HOST_EVENTS, Topics.MIGRATIONS, Topics.MIGRATION_PROGRESS, Topics.DRAINS);

    /** How far the read models' replay from the beginning of their topics is (the API answers 503 until it ends). */
    @Bean
    public ReadModelCatchUp readModelCatchUp(FerryKafkaProperties properties) {
        ReadModelCatchUp catchUp = new ReadModelCatchUp();
        CatchUpTracking.findEndOffsets(properties, READ_MODEL_TOPICS, catchUp);
        return catchUp;
    }

    /** {@code readModels} in {@code /actuator/health}: OUT_OF_SERVICE until the replay at start has ended. */
    @Bean
    public HealthIndicator readModelsHealthIndicator(ReadModelCatchUp readModelCatchUp) {
        return () -> (readModelCatchUp.isCaughtUp() ? Health.up() : Health.outOfService())
                .withDetail("replay", readModelCatchUp.isCaughtUp() ? "caught up" : readModelCatchUp.progress())
                .build();
    }

    /** The ready file ({@code ferry.ready-file}) waits for the replay too. */
    @Bean
    public ReadinessCheck readModelsReady(ReadModelCatchUp readModelCatchUp) {
        return readModelCatchUp::isCaughtUp;
    }

    @Bean
    public ConcurrentMessageListenerContainer<String, byte[]> gatewayReadModels(
            FerryListeners listeners, HostDirectory gatewayHostDirectory, MigrationView migrationView,
            DrainView drainView, ReadModelCatchUp readModelCatchUp) {
        ReadModelListener listener = new ReadModelListener(gatewayHostDirectory, migrationView, drainView);
        ConcurrentMessageListenerContainer<String, byte[]> container = listeners.container("gateway-read-models",
                "ferry-gateway", FerryListeners.Mode.READ_MODEL, READ_MODEL_TOPICS, listener::handle);
        container.setRecordInterceptor(CatchUpTracking.interceptor(readModelCatchUp));
        return container;
    }
}
