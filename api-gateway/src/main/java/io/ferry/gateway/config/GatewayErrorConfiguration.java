package io.ferry.gateway.config;

import io.ferry.gateway.adapter.rest.FaultReportValve;
import org.apache.catalina.Host;
import org.apache.catalina.Lifecycle;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Errors that never reach a controller still answer with a fault body: Tomcat's HTML error report is replaced by
 * {@link FaultReportValve}; the application's error page is {@code GatewayErrorController}.
 */
@Configuration(proxyBeanMethods = false)
public class GatewayErrorConfiguration {

    @Bean
    public WebServerFactoryCustomizer<TomcatServletWebServerFactory> faultReportValve() {
        return factory -> factory.addContextCustomizers(context -> context.addLifecycleListener(event -> {
            // the host has put its own error report valve in place by the time its context starts
            if (Lifecycle.BEFORE_START_EVENT.equals(event.getType()) && context.getParent() instanceof Host host) {
                FaultReportValve.install(host);
            }
        }));
    }
}
