package io.ferry.conductor.config;

import io.ferry.conductor.adapter.kafka.ConductorListener;
import io.ferry.conductor.adapter.kafka.DirectoryFleetView;
import io.ferry.conductor.adapter.kafka.HostHeartbeats;
import io.ferry.conductor.adapter.kafka.KafkaDrains;
import io.ferry.conductor.adapter.kafka.KafkaEffects;
import io.ferry.conductor.adapter.kafka.KafkaMigrationLog;
import io.ferry.conductor.adapter.kafka.MigrationLogReplay;
import io.ferry.conductor.adapter.kafka.PublishPipeline;
import io.ferry.conductor.adapter.metrics.ConductorMetrics;
import io.ferry.conductor.adapter.scheduling.LivenessTicker;
import io.ferry.conductor.app.ConductorService;
import io.ferry.conductor.domain.MigrationProcess;
import io.ferry.conductor.domain.drain.DrainPlanner;
import io.ferry.messaging.FerryKafkaProperties;
import io.ferry.messaging.FerryListeners;
import io.ferry.messaging.FerryMessagingConfiguration;
import io.ferry.messaging.MessagePublisher;
import io.ferry.messaging.SchemaRegistry;
import io.ferry.messaging.readmodel.HostDirectory;
import io.ferry.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/** Wires the conductor. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConductorProperties.class)
@Import(FerryMessagingConfiguration.class)
public class ConductorConfiguration {

    @Bean
    public Clock conductorClock() {
        return Clock.systemUTC();
    }

    @Bean
    public HostDirectory conductorHostDirectory(Clock conductorClock,
                                                @Value("${ferry.service-down-time:60s}") Duration serviceDownTime) {
        return new HostDirectory(conductorClock, serviceDownTime);
    }

    @Bean
    public DirectoryFleetView fleetView(HostDirectory conductorHostDirectory) {
        return new DirectoryFleetView(conductorHostDirectory);
    }

    /** The conductor's outbound order: records first, commands once they are stored, one wait per input. */
    @Bean(destroyMethod = "close")
    public PublishPipeline conductorPublishPipeline(MessagePublisher publisher) {
        return new PublishPipeline(publisher, Duration.ofSeconds(60));
    }

    @Bean
    public ConductorMetrics conductorMetrics(MeterRegistry registry) {
        return new ConductorMetrics(registry);
    }

    /**
     * The conductor, rebuilt from {@code ferry.host.events} and {@code ferry.migrations} before any listener starts
     * (the containers start after every bean exists): open migrations are resumed, queued ones start as slots allow.
     */
    @Bean
    public ConductorService conductorService(PublishPipeline publisher, DirectoryFleetView fleetView,
                                             HostDirectory conductorHostDirectory, ConductorMetrics metrics,
                                             ConductorProperties properties, Clock conductorClock,
                                             FerryKafkaProperties kafka, SchemaRegistry schemaRegistry,
                                             @Value("${ferry.conductor.recovery-timeout:60s}") Duration recoveryTimeout) {
        ConductorService conductor = new ConductorService(metrics.metered(new KafkaMigrationLog(publisher, fleetView)),
                new KafkaEffects(publisher, fleetView, properties, conductorClock), fleetView, conductorClock,
                new MigrationProcess(properties.lifecycle()), new KafkaDrains(publisher, conductorClock),
                new DrainPlanner(properties.drain()));
        MigrationLogReplay replay = new MigrationLogReplay(kafka, recoveryTimeout, schemaRegistry);
        replay.hostEvents(conductorHostDirectory);
        conductor.recover(replay.replay(), replay.drains(properties.getDrainConvergenceMargin()));
        publisher.awaitIssued();
        metrics.watch(conductor::migrations);
        return conductor;
    }

    @Bean
    public HostHeartbeats hostHeartbeats(Clock conductorClock) {
        return new HostHeartbeats(conductorClock);
    }

    @Bean
    public ConductorListener conductorListener(ConductorService conductorService,
                                               HostDirectory conductorHostDirectory, Clock conductorClock,
                                               HostHeartbeats hostHeartbeats) {
        return new ConductorListener(conductorService, conductorHostDirectory, conductorClock, hostHeartbeats);
    }

    /** The conductor's clock input: the liveness check, a quarter of host-heartbeat-timeout apart. */
    @Bean(initMethod = "start", destroyMethod = "close")
    public LivenessTicker livenessTicker(ConductorService conductorService, HostHeartbeats hostHeartbeats,
                                         ConductorProperties properties, PublishPipeline pipeline) {
        return new LivenessTicker(conductorService, hostHeartbeats,
                LivenessTicker.periodFor(properties.getHostHeartbeatTimeout()), pipeline::awaitIssued);
    }

    @Bean
    public ConcurrentMessageListenerContainer<String, byte[]> conductorCommands(FerryListeners listeners,
                                                                               ConductorListener listener,
                                                                               PublishPipeline pipeline) {
        return listeners.container("conductor-commands", "ferry-conductor-commands", FerryListeners.Mode.WORK_GROUP,
                List.of(Topics.MIGRATION_COMMANDS), pipeline.awaitingAfter(listener::onCommand));
    }

    @Bean
    public ConcurrentMessageListenerContainer<String, byte[]> conductorSchedulerReplies(FerryListeners listeners,
                                                                                       ConductorListener listener,
                                                                                       PublishPipeline pipeline) {
        return listeners.container("conductor-scheduler-replies", "ferry-conductor-replies", FerryListeners.Mode.WORK_GROUP,
                List.of(Topics.SCHEDULER_REPLIES), pipeline.awaitingAfter(listener::onSchedulerReply));
    }

    @Bean
    public ConcurrentMessageListenerContainer<String, byte[]> conductorProgress(FerryListeners listeners,
                                                                               ConductorListener listener,
                                                                               PublishPipeline pipeline) {
        return listeners.container("conductor-progress", "ferry-conductor-progress", FerryListeners.Mode.WORK_GROUP,
                List.of(Topics.MIGRATION_PROGRESS), pipeline.awaitingAfter(listener::onProgress));
    }

    @Bean
    public ConcurrentMessageListenerContainer<String, byte[]> conductorHostEvents(FerryListeners listeners,
                                                                                 ConductorListener listener) {
        return listeners.container("conductor-host-events", "ferry-conductor-hosts", FerryListeners.Mode.READ_MODEL,
                List.of(Topics.HOST_EVENTS), listener::onHostEvent);
    }
}
