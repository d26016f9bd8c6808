package io.ferry.scheduler;

import io.ferry.scheduler.config.SchedulerConfiguration;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** The scheduler process: picks and claims destinations. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(SchedulerConfiguration.class)
public class SchedulerApplication {

    /** Spring's config name for this service: {@code scheduler.properties} / {@code .yml}. */
    public static final String CONFIG_NAME = "scheduler";

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(SchedulerApplication.class);
        app.setDefaultProperties(Map.of("spring.config.name", CONFIG_NAME, "spring.main.web-application-type", "none",
                "spring.application.name", CONFIG_NAME, "ferry.management.port", "9181"));
        app.run(args);
    }
}
