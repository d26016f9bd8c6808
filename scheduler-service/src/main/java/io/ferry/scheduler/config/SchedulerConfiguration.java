package io.ferry.scheduler.config;

import io.ferry.messaging.FerryListeners;
import io.ferry.messaging.FerryMessagingConfiguration;
import io.ferry.messaging.MessagePublisher;
import io.ferry.messaging.readmodel.HostDirectory;
import io.ferry.scheduler.adapter.kafka.SchedulerListener;
import io.ferry.scheduler.app.FirstFitScheduler;
import io.ferry.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/** Wires the scheduler. */
@Configuration(proxyBeanMethods = false)
@Import(FerryMessagingConfiguration.class)
public class SchedulerConfiguration {

    @Bean
    public Clock schedulerClock() {
        return Clock.systemUTC();
    }

    @Bean
    public HostDirectory schedulerHostDirectory(Clock schedulerClock,
                                                @Value("${ferry.service-down-time:60s}") Duration serviceDownTime) {
        return new HostDirectory(schedulerClock, serviceDownTime);
    }

    @Bean
    public FirstFitScheduler firstFitScheduler(HostDirectory schedulerHostDirectory) {
        return new FirstFitScheduler(schedulerHostDirectory);
    }

    @Bean
    public SchedulerListener schedulerListener(FirstFitScheduler scheduler, HostDirectory schedulerHostDirectory,
                                               MessagePublisher publisher, Clock schedulerClock) {
        return new SchedulerListener(scheduler, schedulerHostDirectory, publisher, schedulerClock);
    }

    @Bean
    public ConcurrentMessageListenerContainer<String, byte[]> schedulerRequests(FerryListeners listeners,
                                                                               SchedulerListener listener) {
        return listeners.container("scheduler-requests", "ferry-scheduler", FerryListeners.Mode.WORK_GROUP,
                List.of(Topics.SCHEDULER_REQUESTS), listener::onRequest);
    }

    @Bean
    public ConcurrentMessageListenerContainer<String, byte[]> schedulerState(FerryListeners listeners,
                                                                            SchedulerListener listener) {
        return listeners.container("scheduler-state", "ferry-scheduler-state", FerryListeners.Mode.READ_MODEL,
                List.of(Topics.HOST_EVENTS, Topics.MIGRATIONS), listener::onState);
    }
}
