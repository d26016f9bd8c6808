package io.ferry.gateway.config;

import io.ferry.gateway.adapter.rest.ApiVersionFilter;
import io.ferry.gateway.adapter.rest.AuthFilter;
import io.ferry.gateway.app.ServiceCommands;
import io.ferry.gateway.app.TokenValidator;
import io.ferry.gateway.app.MigrationCommands;
import io.ferry.gateway.app.MigrationView;
import io.ferry.messaging.MessagePublisher;
import io.ferry.messaging.readmodel.HostDirectory;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Wires the gateway: read models, use cases, the API filters. Needs a {@link MessagePublisher}: from
 * {@link GatewayKafkaConfiguration} in the service, a recording one in contract tests.
 */
@Configuration(proxyBeanMethods = false)
@Import({IdentityConfiguration.class, GatewayErrorConfiguration.class})
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
    public ServiceCommands serviceCommands(MessagePublisher publisher, Clock gatewayClock) {
        return new ServiceCommands(publisher, gatewayClock);
    }

    @Bean
    public FilterRegistrationBean<AuthFilter> authFilter(TokenValidator tokenValidator,
                                                         IdentityConfiguration.IdentityConnector identityConnector) {
        FilterRegistrationBean<AuthFilter> registration = new FilterRegistrationBean<>(new AuthFilter(tokenValidator,
                () -> identityConnector.port() > 0 ? "http://127.0.0.1:" + identityConnector.port() : "/identity"));
        registration.addUrlPatterns("/*");
        registration.setOrder(1);
        return registration;
    }

    @Bean
    public FilterRegistrationBean<ApiVersionFilter> apiVersionFilter() {
        FilterRegistrationBean<ApiVersionFilter> registration = new FilterRegistrationBean<>(new ApiVersionFilter());
        registration.addUrlPatterns("/*");
        registration.setOrder(2);
        return registration;
    }
}
