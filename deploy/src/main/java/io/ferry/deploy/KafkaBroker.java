package io.ferry.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker in KRaft mode (broker and controller in one), run as a child JVM from
 * Kafka's own jars on this process's class path: the shape a production broker has, so a test can kill or
 * restart it. Its data directory survives {@link #stop()}, so {@link #start()} again resumes the same log.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

    /**
     * How clients authenticate. {@link #none()}: PLAINTEXT, no authorizer (the laptop default). {@link #scram}:
     * SASL/SCRAM-SHA-512 on the client listener, the StandardAuthorizer with deny by default, and one super user
     * whose credential is written into the storage at format time (KRaft's way to bootstrap SCRAM).
     * {@link #scramOverTls}: the same on SASL_SSL, with a CA and a broker certificate generated into the data
     * directory at the first start (see {@link BrokerTls}).
     */
    public record Security(String superUser, String superUserPassword, boolean tls) {

        public Security(String superUser, String superUserPassword) {
            this(superUser, superUserPassword, false);
        }

        public static Security none() {
            return new Security(null, null, false);
        }

        public static Security scram(String superUser, String superUserPassword) {
            return new Security(superUser, superUserPassword, false);
        }

        public static Security scramOverTls(String superUser, String superUserPassword) {
            return new Security(superUser, superUserPassword, true);
        }

        @Override
        public String toString() {
            return "Security[superUser=" + superUser + ", tls=" + tls + "]";
        }

        public boolean enabled() {
            return superUser != null;
        }

        /** Client properties to connect as {@code user}. */
        public static java.util.Map<String, Object> clientProperties(String user, String password) {
            return java.util.Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512",
                    "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                            + user + "\" password=\"" + password + "\";");
        }
    }

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final Security security;
    private Process process;

    public KafkaBroker(Path dataDir, int port) {
        this(dataDir, port, Security.none());
    }

    public KafkaBroker(Path dataDir, int port, Security security) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = freePort();
        this.security = security;
    }

    /** A broker on a free loopback port with its data under {@code dataDir}. */
    public static KafkaBroker onFreePort(Path dataDir) {
        return new KafkaBroker(dataDir, freePort());
    }

    /** A SASL/SCRAM broker with ACLs on a free loopback port. */
    public static KafkaBroker secureOnFreePort(Path dataDir, Security security) {
        return new KafkaBroker(dataDir, freePort(), security);
    }

    public Security security() {
        return security;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The broker's TLS material (after {@link #start()}), when it runs SASL_SSL. */
    public java.util.Optional<BrokerTls> tls() {
        return security.tls() ? java.util.Optional.of(BrokerTls.in(dataDir.resolve("tls"))) : java.util.Optional.empty();
    }

    /**
     * Client properties to connect as {@code user}: SASL/SCRAM, over TLS with the broker's CA as trust store when
     * the broker runs SASL_SSL. What a service gets as {@code ferry.kafka.properties.*}.
     */
    public Map<String, Object> clientProperties(String user, String password) {
        Map<String, Object> config = new java.util.HashMap<>(Security.clientProperties(user, password));
        tls().ifPresent(tls -> config.putAll(tls.clientProperties()));
        return config;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Formats the storage the first time, starts the broker and returns once it answers. */
    public synchronized KafkaBroker start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        try {
            Files.createDirectories(dataDir);
            if (security.tls()) {
                BrokerTls.createIfMissing(dataDir.resolve("tls"));
            }
            Path config = writeConfig();
            if (!Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
                List<String> formatArgs = new ArrayList<>(List.of("format", "-t", Uuid.randomUuid().toString(),
                        "-c", config.toString(), "--standalone"));
                if (security.enabled()) {
                    formatArgs.addAll(List.of("--add-scram", "SCRAM-SHA-512=[name=" + security.superUser()
                            + ",password=" + security.superUserPassword() + "]"));
                }
                Process format = java("kafka.tools.StorageTool", formatArgs.toArray(String[]::new))
                        .redirectOutput(dataDir.resolve("format.log").toFile())
                        .redirectErrorStream(true).start();
                if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                    format.destroyForcibly();
                    throw new IllegalStateException("formatting Kafka storage failed; see " + dataDir.resolve("format.log"));
                }
            }
            process = java("kafka.Kafka", config.toString())
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("broker.out").toFile()))
                    .redirectErrorStream(true).start();
            awaitReady();
            log.info("Kafka broker (KRaft) ready on {} (pid {}, data {})", bootstrapServers(), process.pid(), dataDir);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Kafka", e);
        }
    }

    /** Stops the broker cleanly (SIGTERM, then SIGKILL after 30 s); the data stays. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Kills the broker at once (SIGKILL), as a crash would. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka broker exited with " + process.exitValue() + "; see "
                        + dataDir.resolve("broker.out"));
            }
            if (portOpen()) {
                try (Admin admin = Admin.create(adminConfig())) {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (Exception e) {
                    log.debug("broker not ready yet: {}", e.toString());
                }
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        kill();
        throw new IllegalStateException("Kafka broker did not answer within " + STARTUP_TIMEOUT + "; see "
                + dataDir.resolve("broker.out"));
    }

    /** Admin client configuration (as the super user when security is on). */
    public Map<String, Object> adminConfig() {
        Map<String, Object> config = new java.util.HashMap<>(Map.of("bootstrap.servers", bootstrapServers(),
                "request.timeout.ms", 5000, "default.api.timeout.ms", 5000));
        if (security.enabled()) {
            config.putAll(clientProperties(security.superUser(), security.superUserPassword()));
        }
        return config;
    }

    private boolean portOpen() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Path writeConfig() throws IOException {
        Path config = dataDir.resolve("server.properties");
        String listener = security.tls() ? "SASL_SSL" : security.enabled() ? "SASL_PLAINTEXT" : "PLAINTEXT";
        List<String> lines = new ArrayList<>(List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=" + listener + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=" + listener + "://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=" + listener,
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL,"
                        + "CONTROLLER:PLAINTEXT"));
        if (security.tls()) {
            lines.addAll(BrokerTls.in(dataDir.resolve("tls")).brokerProperties());
        }
        if (security.enabled()) {
            lines.addAll(List.of(
                    "sasl.enabled.mechanisms=SCRAM-SHA-512",
                    "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
                    "listener.name." + listener.toLowerCase(java.util.Locale.ROOT) + ".scram-sha-512.sasl.jaas.config="
                            + "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                            + security.superUser() + "\" password=\"" + security.superUserPassword() + "\";",
                    "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                    "allow.everyone.if.no.acl.found=false",
                    // the controller listener is loopback-only and unauthenticated: its principal must be super
                    "super.users=User:" + security.superUser() + ";User:ANONYMOUS"));
        }
        String text = String.join("\n", lines) + "\n" + String.join("\n",
                "log.dirs=" + dataDir.resolve("logs"),
                "num.partitions=1",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=10",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=4",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.segment.bytes=16777216",
                "log.cleaner.dedupe.buffer.size=8388608",
                "");
        Files.writeString(config, text);
        try {
            Files.setPosixFilePermissions(config, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            log.debug("no POSIX permissions on {}", config);
        }
        Path logback = dataDir.resolve("broker-logback.xml");
        Files.writeString(logback, """
                <configuration>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <encoder><pattern>%%d{HH:mm:ss.SSS} %%-5level %%logger{30} - %%msg%%n</pattern></encoder>
                  </appender>
                  <logger name="kafka" level="INFO"/>
                  <logger name="org.apache.kafka" level="WARN"/>
                  <root level="WARN"><appender-ref ref="FILE"/></root>
                </configuration>
                """.formatted(dataDir.resolve("broker.log")));
        return config;
    }

    private ProcessBuilder java(String mainClass, String... args) {
        List<String> options = new ArrayList<>(List.of("-Xms256m", "-Xmx768m",
                "-Dlogback.configurationFile=" + dataDir.resolve("broker-logback.xml")));
        if (Runtime.version().feature() >= 24) {
            options.add("--enable-native-access=ALL-UNNAMED");
        }
        return new ProcessBuilder(ChildJvm.command(options, mainClass, List.of(args)));
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
