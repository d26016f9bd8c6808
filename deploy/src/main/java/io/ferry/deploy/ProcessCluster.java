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
    private Process hypervisor;
    private String hypervisorUrl;

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
            if (!options.fleet().hosts().isEmpty()) {
                cluster.startHypervisor();
            }
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

    /**
     * The simulated hypervisor daemon's URL ({@link SimHypervisorDaemon}): the simulated hosts' guests and
     * migration jobs live there, outside the compute agent, so killing the agent leaves them running.
     */
    public String simHypervisorUrl() {
        return hypervisorUrl;
    }

    private void startHypervisor() {
        Path ready = options.dataDir().resolve("sim-hypervisor.ready");
        try {
            Files.createDirectories(options.dataDir());
            Files.deleteIfExists(ready);
            List<String> arguments = new ArrayList<>();
            options.fleet().agentProperties().forEach((key, value) -> arguments.add("--" + key + "=" + value));
            arguments.add("--ferry.agent.sim.speed=" + options.simSpeed());
            options.extraProperties().forEach((key, value) -> {
                if (key.startsWith("ferry.agent.sim.")) {
                    arguments.add("--" + key + "=" + value);
                }
            });
            arguments.add("--ferry.ready-file=" + ready);
            hypervisor = new ProcessBuilder(ChildJvm.command(List.of("-Xms32m", "-Xmx256m"),
                    SimHypervisorDaemon.class.getName(), arguments))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            options.dataDir().resolve("sim-hypervisor.log").toFile()))
                    .redirectErrorStream(true).start();
            log.info("started the simulated hypervisor (pid {})", hypervisor.pid());
            awaitFile(ready, hypervisor, "the simulated hypervisor", options.dataDir().resolve("sim-hypervisor.log"));
            hypervisorUrl = Files.readString(ready).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
                if (hypervisorUrl != null) {
                    own.put("ferry.agent.sim.hypervisor-url", hypervisorUrl);
                }
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
        awaitFile(readyFile(service), processes.get(service), service.toString(),
                options.dataDir().resolve(service.configName() + ".log"));
    }

    private static void awaitFile(Path file, Process process, String what, Path logFile) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!Files.exists(file)) {
            if (process == null || !process.isAlive()) {
                throw new IllegalStateException(what + " exited before it was ready; see " + logFile);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " not ready within " + READY_TIMEOUT + "; see " + logFile);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
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
        if (hypervisor != null) {
            hypervisor.destroyForcibly();
            hypervisor = null;
        }
        broker.stop();
    }
}
