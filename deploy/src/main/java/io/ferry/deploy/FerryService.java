package io.ferry.deploy;

import io.ferry.agent.ComputeAgentApplication;
import io.ferry.conductor.ConductorApplication;
import io.ferry.gateway.GatewayApplication;
import io.ferry.scheduler.SchedulerApplication;
import java.util.LinkedHashMap;
import java.util.Map;

/** The four services: their main classes and the properties every launcher (in-process or process) gives them. */
public enum FerryService {
    COMPUTE_AGENT(ComputeAgentApplication.class, ComputeAgentApplication.CONFIG_NAME, false),
    SCHEDULER(SchedulerApplication.class, SchedulerApplication.CONFIG_NAME, false),
    CONDUCTOR(ConductorApplication.class, ConductorApplication.CONFIG_NAME, false),
    GATEWAY(GatewayApplication.class, GatewayApplication.CONFIG_NAME, true);

    private final Class<?> application;
    private final String configName;
    private final boolean web;

    FerryService(Class<?> application, String configName, boolean web) {
        this.application = application;
        this.configName = configName;
        this.web = web;
    }

    public Class<?> application() {
        return application;
    }

    public String configName() {
        return configName;
    }

    /** The service's properties: quiet start, its own config name, the broker, then extras, then its own. */
    public Map<String, Object> properties(String bootstrapServers, Map<String, Object> extra, Map<String, Object> own) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("spring.config.name", configName);
        all.put("spring.main.banner-mode", "off");
        all.put("spring.main.log-startup-info", "false");
        all.put("spring.jmx.enabled", "false");
        all.put("spring.main.web-application-type", web ? "servlet" : "none");
        all.put("spring.application.name", configName);
        // health and metrics on a free port of their own (several services and agents share one machine here);
        // the API port carries no actuator endpoint
        all.put("ferry.management.port", "0");
        all.put("management.endpoints.web.exposure.exclude", "*");
        all.put("logging.level.root", "WARN");
        all.put("logging.level.io.ferry", "INFO");
        all.put("ferry.kafka.bootstrap-servers", bootstrapServers);
        all.putAll(extra);
        all.putAll(own);
        return all;
    }
}
