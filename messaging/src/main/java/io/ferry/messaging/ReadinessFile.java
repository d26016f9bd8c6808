package io.ferry.messaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Writes {@code ferry.ready-file} once the service has started, every one of its listener containers has its
 * partitions assigned and every {@link ReadinessCheck} holds: the signal a supervisor (or a test that runs services as processes) waits for.
 */
public class ReadinessFile implements ApplicationListener<ApplicationReadyEvent> {

    private final Path file;
    private final Collection<MessageListenerContainer> containers;
    private final Collection<ReadinessCheck> checks;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("ferry-readiness").factory());

    public ReadinessFile(Path file, Collection<MessageListenerContainer> containers) {
        this(file, containers, java.util.List.of());
    }

    public ReadinessFile(Path file, Collection<MessageListenerContainer> containers,
                         Collection<ReadinessCheck> checks) {
        this.file = file;
        this.containers = containers;
        this.checks = checks;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        poller.scheduleWithFixedDelay(() -> {
            boolean assigned = containers.stream().allMatch(c -> c.getAssignedPartitions() != null
                    && !c.getAssignedPartitions().isEmpty());
            if (assigned && checks.stream().allMatch(ReadinessCheck::isReady)) {
                try {
                    Files.writeString(file, Long.toString(ProcessHandle.current().pid()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                poller.shutdown();
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
    }
}
