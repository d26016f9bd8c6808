package io.ferry.gateway.config;

import io.ferry.gateway.adapter.kafka.ReadModelListener;
import io.ferry.gateway.app.DrainView;
import io.ferry.gateway.app.MigrationView;
import io.ferry.messaging.FerryListeners;
import io.ferry.messaging.FerryMessagingConfiguration;
import io.ferry.messaging.readmodel.HostDirectory;
import io.ferry.schemas.Topics;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/** The gateway's Kafka side: the publisher (from the messaging module) and the read models' listener. */
@Configuration(proxyBeanMethods = false)
@Import(FerryMessagingConfiguration.class)
public class GatewayKafkaConfiguration {

    @Bean
    public ConcurrentMessageListenerContainer<String, byte[]> gatewayReadModels(
            FerryListeners listeners, HostDirectory gatewayHostDirectory, MigrationView migrationView,
            DrainView drainView) {
        ReadModelListener listener = new ReadModelListener(gatewayHostDirectory, migrationView, drainView);
        return listeners.container("gateway-read-models", "ferry-gateway", FerryListeners.Mode.READ_MODEL,
                List.of(Topics.HOST_EVENTS, Topics.MIGRATIONS, Topics.MIGRATION_PROGRESS, Topics.DRAINS), listener::handle);
    }
}
