package io.ferry.agent;

import io.ferry.agent.config.AgentConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** A compute agent process: serves one real host, or a fleet of simulated ones. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(AgentConfiguration.class)
public class ComputeAgentApplication {

    /** Spring's config name for this service: {@code compute-agent.properties} / {@code .yml}. */
    public static final String CONFIG_NAME = "compute-agent";

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(ComputeAgentApplication.class);
        app.setDefaultProperties(java.util.Map.of("spring.config.name", CONFIG_NAME,
                "spring.main.web-application-type", "none", "spring.application.name", CONFIG_NAME,
                "ferry.management.port", "9183"));
        app.run(args);
    }
}
