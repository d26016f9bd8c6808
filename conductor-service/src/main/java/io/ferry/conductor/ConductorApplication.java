package io.ferry.conductor;

import io.ferry.conductor.config.ConductorConfiguration;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** The conductor process: owns every migration's lifecycle. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ConductorConfiguration.class)
public class ConductorApplication {

    /** Spring's config name for this service: {@code conductor.properties} / {@code .yml}. */
    public static final String CONFIG_NAME = "conductor";

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(ConductorApplication.class);
        app.setDefaultProperties(Map.of("spring.config.name", CONFIG_NAME, "spring.main.web-application-type", "none",
                "spring.application.name", CONFIG_NAME, "ferry.management.port", "9182"));
        app.run(args);
    }
}
