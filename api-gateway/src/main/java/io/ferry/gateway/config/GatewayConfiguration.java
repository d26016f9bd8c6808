package io.ferry.gateway.config;

import io.ferry.gateway.adapter.kafka.ReadModelListener;
import io.ferry.gateway.adapter.rest.ApiVersionFilter;
import io.ferry.gateway.app.MigrationCommands;
import io.ferry.gateway.app.MigrationView;
import io.ferry.messaging.FerryListeners;
import io.ferry.messaging.FerryMessagingConfiguration;
import io.ferry.messaging.MessagePublisher;
import io.ferry.messaging.readmodel.HostDirectory;
import io.ferry.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/** Wires the gateway: read models, command publishing, the API filter. */
@Configuration(proxyBeanMethods = false)
@Import(FerryMessagingConfiguration.class)
public class GatewayConfiguration {

    @Bean
    public Clock gatewayClock() {
        return Clock.systemUTC();
    }

    @Bean
    public HostDirectory gatewayHostDirectory(Clock gatewayClock,
                                              @Value("${ferry.service-down-time:60s}") Duration serviceDownTime) {
        return new HostDirectory(gatewayClock, serviceDownTime);
    }

    @Bean
    public MigrationView migrationView() {
        return new MigrationView();
    }

    @Bean
    public MigrationCommands migrationCommands(HostDirectory gatewayHostDirectory, MigrationView migrationView,
                                               MessagePublisher publisher, Clock gatewayClock) {
        return new MigrationCommands(gatewayHostDirectory, migrationView, publisher, gatewayClock);
    }

    @Bean
    public FilterRegistrationBean<ApiVersionFilter> apiVersionFilter() {
        FilterRegistrationBean<ApiVersionFilter> registration = new FilterRegistrationBean<>(new ApiVersionFilter());
        registration.addUrlPatterns("/*");
        registration.setOrder(1);
        return registration;
    }

    @Bean
    public ConcurrentMessageListenerContainer<String, byte[]> gatewayReadModels(
            FerryListeners listeners, HostDirectory gatewayHostDirectory, MigrationView migrationView) {
        ReadModelListener listener = new ReadModelListener(gatewayHostDirectory, migrationView);
        return listeners.container("gateway-read-models", "ferry-gateway", FerryListeners.Mode.READ_MODEL,
                List.of(Topics.HOST_EVENTS, Topics.MIGRATIONS, Topics.MIGRATION_PROGRESS), listener::handle);
    }
}
