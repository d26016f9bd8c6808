package io.ferry.gateway;

import io.ferry.gateway.config.GatewayConfiguration;
import io.ferry.gateway.config.GatewayKafkaConfiguration;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** The API gateway process: Nova's compute API on port 8774, the Keystone subset on port 5000. */
@SpringBootApplication
@Import({GatewayConfiguration.class, GatewayKafkaConfiguration.class})
public class GatewayApplication {

    /** Spring's config name for this service: {@code api-gateway.properties} / {@code .yml}. */
    public static final String CONFIG_NAME = "api-gateway";

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(GatewayApplication.class);
        app.setDefaultProperties(Map.of("spring.config.name", CONFIG_NAME, "server.port", "8774",
                "spring.application.name", CONFIG_NAME, "ferry.management.port", "9180",
                "management.endpoints.web.exposure.exclude", "*"));
        app.run(args);
    }
}
