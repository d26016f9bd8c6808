package io.ferry.deploy;

import io.ferry.messaging.FerryKafkaProperties;
import io.ferry.messaging.TopicAdmin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ferry with every service in a process of its own (and the broker in another), so that a test can kill one with
 * SIGKILL, as a crash would, and start it again: the shape of a production deployment on one machine.
 */
public final class ProcessCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProcessCluster.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final FerryCluster.Options options;
    private final KafkaBroker broker;
    private final int gatewayPort;
    private final int identityPort;
    private final LocalIdentity identity;
    private final Map<FerryService, Process> processes = new EnumMap<>(FerryService.class);

    private ProcessCluster(FerryCluster.Options options) {
        this.options = options;
        this.broker = KafkaBroker.onFreePort(options.dataDir().resolve("kafka"));
        this.gatewayPort = options.gatewayPort() == 0 ? KafkaBroker.freePort() : options.gatewayPort();
        this.identityPort = options.identityPort() == 0 ? KafkaBroker.freePort() : options.identityPort();
        this.identity = LocalIdentity.loadOrCreate(options.dataDir());
    }

    /** Starts the broker and the four services, each in its own JVM, and waits until every one is ready. */
    public static ProcessCluster start(FerryCluster.Options options) {
        ProcessCluster cluster = new ProcessCluster(options);
        try {
            cluster.broker.start();
            FerryKafkaProperties kafka = new FerryKafkaProperties();
            kafka.setBootstrapServers(cluster.broker.bootstrapServers());
            new TopicAdmin(kafka).createFixedTopics();
            for (FerryService service : FerryService.values()) {
                cluster.launch(service);
            }
            for (FerryService service : FerryService.values()) {
                cluster.awaitReady(service);
            }
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public KafkaBroker broker() {
        return broker;
    }

    public String gatewayUrl() {
        return "http://127.0.0.1:" + gatewayPort;
    }

    public String identityUrl() {
        return "http://127.0.0.1:" + identityPort;
    }

    /** The embedded identity's accounts. */
    public LocalIdentity identity() {
        return identity;
    }

    /** Kills the service's process with SIGKILL and waits until it is gone. */
    public synchronized void kill(FerryService service) {
        Process process = processes.remove(service);
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("killed {} (pid {})", service, process.pid());
    }

    /** Starts the service again (after {@link #kill}) and waits until it is ready. */
    public synchronized void restart(FerryService service) {
        kill(service);
        launch(service);
        awaitReady(service);
    }

    public synchronized boolean isAlive(FerryService service) {
        Process process = processes.get(service);
        return process != null && process.isAlive();
    }

    private Path readyFile(FerryService service) {
        return options.dataDir().resolve(service.configName() + ".ready");
    }

    private void launch(FerryService service) {
        try {
            Files.createDirectories(options.dataDir());
            Files.deleteIfExists(readyFile(service));
            Map<String, Object> own = new LinkedHashMap<>();
            own.put("ferry.ready-file", readyFile(service).toString());
            if (service == FerryService.COMPUTE_AGENT) {
                own.putAll(options.fleet().agentProperties());
                own.put("ferry.agent.sim.speed", options.simSpeed());
            }
            if (service == FerryService.GATEWAY) {
                own.putAll(identity.gatewayProperties(identityPort));
                own.put("server.port", gatewayPort);
            }
            List<String> arguments = new ArrayList<>();
            service.properties(broker.bootstrapServers(), options.extraProperties(), own)
                    .forEach((key, value) -> arguments.add("--" + key + "=" + value));
            List<String> command = ChildJvm.command(List.of("-Xms64m", "-Xmx384m", "--enable-native-access=ALL-UNNAMED",
                    "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.ferry.schemas"), service.application().getName(), arguments);
            Process process = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            options.dataDir().resolve(service.configName() + ".log").toFile()))
                    .redirectErrorStream(true).start();
            processes.put(service, process);
            log.info("started {} (pid {})", service, process.pid());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(FerryService service) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Process process = processes.get(service);
        while (!Files.exists(readyFile(service))) {
            if (process == null || !process.isAlive()) {
                throw new IllegalStateException(service + " exited before it was ready; see "
                        + options.dataDir().resolve(service.configName() + ".log"));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(service + " not ready within " + READY_TIMEOUT + "; see "
                        + options.dataDir().resolve(service.configName() + ".log"));
            }
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + service, e);
            }
        }
    }

    @Override
    public synchronized void close() {
        for (FerryService service : List.of(FerryService.GATEWAY, FerryService.CONDUCTOR, FerryService.SCHEDULER,
                FerryService.COMPUTE_AGENT)) {
            Process process = processes.remove(service);
            if (process != null) {
                process.destroy();
                try {
                    if (!process.waitFor(20, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    process.destroyForcibly();
                }
            }
        }
        broker.stop();
    }
}
