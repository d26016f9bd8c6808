package io.ferry.gateway.config;

import io.ferry.gateway.adapter.rest.ApiVersionFilter;
import io.ferry.gateway.adapter.rest.AuthFilter;
import io.ferry.gateway.adapter.rest.CatchingUpFilter;
import io.ferry.gateway.adapter.rest.ConsoleSecurityHeadersFilter;
import io.ferry.gateway.adapter.rest.DrainsController;
import io.ferry.gateway.adapter.rest.FleetEvents;
import io.ferry.gateway.adapter.rest.FleetViews;
import io.ferry.gateway.app.DrainCommands;
import io.ferry.gateway.app.DrainView;
import io.ferry.gateway.app.EventTickets;
import io.ferry.gateway.app.ServiceCommands;
import io.ferry.gateway.app.TokenValidator;
import io.ferry.gateway.app.MigrationCommands;
import io.ferry.gateway.app.MigrationView;
import io.ferry.gateway.app.ReadModelCatchUp;
import io.ferry.messaging.MessagePublisher;
import io.ferry.messaging.readmodel.HostDirectory;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Wires the gateway: read models, use cases, the API filters, the drain API and the web console. Needs a
 * {@link MessagePublisher}: from {@link GatewayKafkaConfiguration} in the service, a recording one in contract tests.
 *
 * <pre>
 * ferry.drain.dry-run-timeout=15s      # how long POST .../drain?dry_run=true waits for the conductor's plan (then 504)
 * ferry.drain.request-timeout=60s      # how long a drain requested here, unanswered by the conductor, refuses another
 *                                      # drain of its host (the conductor refuses one of a host already being drained)
 * ferry.console.ticket-ttl=30s         # how long an event-stream ticket stays valid (each works once)
 * ferry.console.push-interval=500ms    # how often the event stream looks for a changed fleet
 * ferry.console.stream-timeout=30m     # an event stream's life; the page then opens a new one
 * </pre>
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
    public DrainView drainView(Clock gatewayClock,
                               @Value("${ferry.drain.request-timeout:60s}") Duration requestTimeout) {
        return new DrainView(gatewayClock, requestTimeout);
    }

    @Bean
    public DrainCommands drainCommands(HostDirectory gatewayHostDirectory, DrainView drainView,
                                       MessagePublisher publisher, Clock gatewayClock) {
        return new DrainCommands(gatewayHostDirectory, drainView, publisher, gatewayClock);
    }

    @Bean
    public DrainsController.DrainApiSettings drainApiSettings(
            @Value("${ferry.drain.dry-run-timeout:15s}") Duration dryRunTimeout) {
        return new DrainsController.DrainApiSettings(dryRunTimeout);
    }

    @Bean
    public EventTickets eventTickets(Clock gatewayClock, @Value("${ferry.console.ticket-ttl:30s}") Duration ttl) {
        return new EventTickets(gatewayClock, ttl, new SecureRandom());
    }

    @Bean
    public FleetViews fleetViews(HostDirectory gatewayHostDirectory, ServiceCommands serviceCommands,
                                 MigrationView migrationView, DrainView drainView) {
        return new FleetViews(gatewayHostDirectory, serviceCommands, migrationView, drainView);
    }

    @Bean(destroyMethod = "close")
    public FleetEvents fleetEvents(FleetViews fleetViews, Clock gatewayClock,
                                   @Value("${ferry.console.push-interval:500ms}") Duration interval,
                                   @Value("${ferry.console.stream-timeout:30m}") Duration streamTimeout) {
        return new FleetEvents(fleetViews, gatewayClock, interval, streamTimeout);
    }

    /** {@code /console} is the console's page (static files under {@code static/console} in the jar). */
    @Bean
    public WebMvcConfigurer consolePage() {
        return new WebMvcConfigurer() {
            @Override
            public void addViewControllers(ViewControllerRegistry registry) {
                registry.addRedirectViewController("/console", "/console/");
                registry.addViewController("/console/").setViewName("forward:/console/index.html");
            }
        };
    }

    /** The console's security headers (Content-Security-Policy and friends) on its page and its assets. */
    @Bean
    public FilterRegistrationBean<ConsoleSecurityHeadersFilter> consoleSecurityHeadersFilter() {
        FilterRegistrationBean<ConsoleSecurityHeadersFilter> registration = new FilterRegistrationBean<>(
                new ConsoleSecurityHeadersFilter());
        registration.addUrlPatterns("/console", "/console/*");
        registration.setOrder(0);
        return registration;
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

    /**
     * 503 while the read models replay from Kafka; without Kafka (contract tests) there is no {@link ReadModelCatchUp}
     * bean and nothing to wait for.
     */
    @Bean
    public FilterRegistrationBean<CatchingUpFilter> catchingUpFilter(ObjectProvider<ReadModelCatchUp> catchUp) {
        FilterRegistrationBean<CatchingUpFilter> registration = new FilterRegistrationBean<>(
                new CatchingUpFilter(catchUp.getIfAvailable(ReadModelCatchUp::done)));
        registration.addUrlPatterns("/*");
        registration.setOrder(3);
        return registration;
    }
}
