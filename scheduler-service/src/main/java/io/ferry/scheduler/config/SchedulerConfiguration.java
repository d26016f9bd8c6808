package io.ferry.scheduler.config;

import io.ferry.messaging.FerryKafkaProperties;
import io.ferry.messaging.SchemaRegistry;
import io.ferry.messaging.FerryListeners;
import io.ferry.messaging.FerryMessagingConfiguration;
import io.ferry.messaging.MessagePublisher;
import io.ferry.scheduler.adapter.kafka.KafkaClaimJournal;
import io.ferry.scheduler.adapter.kafka.SchedulerDefaults;
import io.ferry.scheduler.adapter.kafka.SchedulerListener;
import io.ferry.scheduler.adapter.kafka.SchedulerStartup;
import io.ferry.scheduler.app.FleetProjection;
import io.ferry.scheduler.app.SchedulingService;
import io.ferry.scheduler.domain.CpuFeatures;
import io.ferry.scheduler.domain.claim.ClaimLedger;
import io.ferry.scheduler.domain.select.HostSelector;
import io.ferry.scheduler.domain.select.Scheduler;
import io.ferry.scheduler.domain.select.SchedulerSettings;
import io.ferry.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/** Wires the scheduler: the domain engine, its state, and the Kafka edge that feeds and asks it. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SchedulerProperties.class)
@Import(FerryMessagingConfiguration.class)
public class SchedulerConfiguration {

    @Bean
    public Clock schedulerClock() {
        return Clock.systemUTC();
    }

    @Bean
    public SchedulerSettings schedulerSettings(SchedulerProperties properties,
                                               @Value("${ferry.service-down-time:60s}") Duration serviceDownTime) {
        return new SchedulerSettings(properties.getEnabledFilters(), properties.weigherMultipliers(),
                properties.getServiceDownTime() != null ? properties.getServiceDownTime() : serviceDownTime,
                properties.getMaxClaimAttempts());
    }

    @Bean
    public SchedulerDefaults schedulerDefaults(SchedulerProperties properties) {
        Map<String, CpuFeatures> models = new LinkedHashMap<>();
        properties.getCpuModels().forEach((model, flags) -> models.put(model, CpuFeatures.of(flags)));
        return new SchedulerDefaults(properties.getCpuAllocationRatio(), properties.getRamAllocationRatio(),
                properties.getDiskAllocationRatio(), properties.getDefaultAvailabilityZone(), models);
    }

    @Bean
    public ClaimLedger claimLedger() {
        return new ClaimLedger();
    }

    @Bean
    public Scheduler scheduler(SchedulerSettings settings, ClaimLedger claimLedger, Clock schedulerClock) {
        return new Scheduler(HostSelector.create(settings, schedulerClock), claimLedger, settings.maxClaimAttempts());
    }

    @Bean
    public FleetProjection fleetProjection(ClaimLedger claimLedger, SchedulerSettings settings) {
        return new FleetProjection(claimLedger, settings.serviceDownTime());
    }

    @Bean
    public SchedulingService schedulingService(Scheduler scheduler, ClaimLedger claimLedger,
                                               FleetProjection fleetProjection, MessagePublisher publisher,
                                               Clock schedulerClock) {
        return new SchedulingService(scheduler, claimLedger, fleetProjection,
                new KafkaClaimJournal(publisher, schedulerClock));
    }

    @Bean
    public SchedulerListener schedulerListener(SchedulingService schedulingService, FleetProjection fleetProjection,
                                               SchedulerDefaults schedulerDefaults, MessagePublisher publisher,
                                               Clock schedulerClock, MeterRegistry registry) {
        return new SchedulerListener(schedulingService, fleetProjection, schedulerDefaults, publisher, schedulerClock,
                registry);
    }

    /** Started by {@link SchedulerStartup} once the state has been read up to where it stood at start. */
    @Bean
    public ConcurrentMessageListenerContainer<String, byte[]> schedulerRequests(FerryListeners listeners,
                                                                               SchedulerListener listener) {
        var container = listeners.container("scheduler-requests", "ferry-scheduler", FerryListeners.Mode.WORK_GROUP,
                List.of(Topics.SCHEDULER_REQUESTS), listener::onRequest);
        container.setAutoStartup(false);
        return container;
    }

    @Bean
    public ConcurrentMessageListenerContainer<String, byte[]> schedulerState(FerryListeners listeners,
                                                                            SchedulerListener listener) {
        return listeners.container("scheduler-state", "ferry-scheduler-state", FerryListeners.Mode.READ_MODEL,
                List.of(Topics.HOST_EVENTS, Topics.MIGRATIONS, Topics.SCHEDULER_CLAIMS), listener::onState);
    }

    @Bean
    public SchedulerStartup schedulerStartup(FerryKafkaProperties kafka, SchedulingService schedulingService,
                                             ConcurrentMessageListenerContainer<String, byte[]> schedulerState,
                                             ConcurrentMessageListenerContainer<String, byte[]> schedulerRequests,
                                             SchedulerProperties properties, SchemaRegistry schemaRegistry) {
        return new SchedulerStartup(kafka, schedulingService, schedulerState, schedulerRequests,
                properties.getRecoveryTimeout(), schemaRegistry);
    }
}
