package io.ferry.deploy;

import io.ferry.agent.adapter.kafka.BrokerIsolation;
import io.ferry.agent.app.HostAgent;
import io.ferry.gateway.app.ReadModelCatchUp;
import io.ferry.gateway.config.IdentityConfiguration;
import io.ferry.messaging.FerryKafkaProperties;
import io.ferry.messaging.TopicAdmin;
import io.ferry.messaging.management.ManagementServer;
import io.ferry.schemas.codec.FerryCodec;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Ferry on one machine: a real Kafka broker (or an existing cluster), the four services, and a simulated fleet.
 * Each service runs in its own Spring context with its own configuration, exactly as its own process would.
 */
public final class FerryCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FerryCluster.class);

    /** How to start a cluster. */
    public record Options(Path dataDir, int brokerPort, String externalBootstrap, int gatewayPort, SimFleet fleet,
                          double simSpeed, Map<String, Object> extraProperties, int identityPort) {

        public Options(Path dataDir, int brokerPort, String externalBootstrap, int gatewayPort, SimFleet fleet,
                       double simSpeed, Map<String, Object> extraProperties) {
            this(dataDir, brokerPort, externalBootstrap, gatewayPort, fleet, simSpeed, extraProperties, 5000);
        }

        public static Options defaults(Path dataDir) {
            return new Options(dataDir, 9092, null, 8774, SimFleet.standard(3, 12), 1.0, Map.of(), 5000);
        }

        /** The identity (Keystone) port; 0 for any free one. */
        public Options withIdentityPort(int port) {
            return new Options(dataDir, brokerPort, externalBootstrap, gatewayPort, fleet, simSpeed, extraProperties,
                    port);
        }

        public Options withBrokerPort(int port) {
            return new Options(dataDir, port, externalBootstrap, gatewayPort, fleet, simSpeed, extraProperties, identityPort);
        }

        public Options withExternalBootstrap(String bootstrap) {
            return new Options(dataDir, brokerPort, bootstrap, gatewayPort, fleet, simSpeed, extraProperties, identityPort);
        }

        public Options withGatewayPort(int port) {
            return new Options(dataDir, brokerPort, externalBootstrap, port, fleet, simSpeed, extraProperties, identityPort);
        }

        public Options withFleet(SimFleet newFleet) {
            return new Options(dataDir, brokerPort, externalBootstrap, gatewayPort, newFleet, simSpeed, extraProperties, identityPort);
        }

        public Options withSimSpeed(double speed) {
            return new Options(dataDir, brokerPort, externalBootstrap, gatewayPort, fleet, speed, extraProperties, identityPort);
        }

        public Options withProperties(Map<String, Object> properties) {
            return new Options(dataDir, brokerPort, externalBootstrap, gatewayPort, fleet, simSpeed, properties, identityPort);
        }
    }

    private final Options options;
    private final KafkaBroker broker;
    private final List<ConfigurableApplicationContext> contexts = Collections.synchronizedList(new ArrayList<>());
    private ConfigurableApplicationContext gateway;
    private ConfigurableApplicationContext conductor;
    private LocalIdentity identity;

    private FerryCluster(Options options) {
        this.options = options;
        this.broker = options.externalBootstrap() != null ? null
                : options.brokerPort() == 0 ? KafkaBroker.onFreePort(options.dataDir().resolve("kafka"))
                : new KafkaBroker(options.dataDir().resolve("kafka"), options.brokerPort());
    }

    /** Starts everything; on failure stops what started and rethrows. */
    public static FerryCluster start(Options options) {
        FerryCodec.trustGeneratedClasses();
        FerryCluster cluster = new FerryCluster(options);
        try {
            cluster.startAll();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void startAll() {
        if (broker != null) {
            broker.start();
        }
        FerryKafkaProperties kafka = new FerryKafkaProperties();
        kafka.setBootstrapServers(bootstrapServers());
        // the services' client settings (SASL, TLS) from ferry.kafka.properties.*, for the topic admin too
        options.extraProperties().forEach((key, value) -> {
            if (key.startsWith("ferry.kafka.properties.")) {
                kafka.getProperties().put(key.substring("ferry.kafka.properties.".length()), String.valueOf(value));
            }
        });
        new TopicAdmin(kafka).createFixedTopics();

        if (!options.fleet().hosts().isEmpty()) {
            Map<String, Object> agent = new LinkedHashMap<>(options.fleet().agentProperties());
            agent.put("ferry.agent.sim.speed", options.simSpeed());
            contexts.add(run(FerryService.COMPUTE_AGENT, agent));
        }
        contexts.add(run(FerryService.SCHEDULER, Map.of()));
        conductor = run(FerryService.CONDUCTOR, Map.of());
        contexts.add(conductor);
        identity = LocalIdentity.loadOrCreate(options.dataDir());
        // a cluster on a free compute port (tests) takes a free identity port too, unless one was chosen
        int identityPort = options.gatewayPort() == 0 && options.identityPort() == 5000 ? 0 : options.identityPort();
        Map<String, Object> gatewayProperties = new LinkedHashMap<>(identity.gatewayProperties(identityPort));
        gatewayProperties.put("server.port", options.gatewayPort());
        gateway = run(FerryService.GATEWAY, gatewayProperties);
        contexts.add(gateway);
        awaitGatewayCaughtUp();
        identity.writeClientFiles(identityUrl() + "/v3");
        log.info("Ferry is up: compute API {}, identity {}, Kafka {}", gatewayUrl(), identityUrl(), bootstrapServers());
    }

    private ConfigurableApplicationContext run(FerryService service, Map<String, Object> properties) {
        Map<String, Object> all = service.properties(bootstrapServers(), options.extraProperties(), properties);
        all.put("spring.main.register-shutdown-hook", "false");
        return new SpringApplicationBuilder(service.application()).properties(all).run();
    }

    /**
     * Stops the conductor and starts a new one on the same broker, as a restarted process would: it rebuilds its
     * migrations from {@code ferry.migrations} and carries on.
     */
    public synchronized void restartConductor() {
        contexts.remove(conductor);
        conductor.close();
        conductor = run(FerryService.CONDUCTOR, Map.of());
        contexts.add(conductor);
    }

    /**
     * Starts one more compute agent on this cluster's broker, e.g. the libvirt driver serving one real host
     * ({@code ferry.agent.driver=libvirt}, {@code ferry.agent.libvirt.*}); it stops with the cluster. A fleet with
     * no hosts starts no simulated agent, so a cluster can be made of such agents only.
     */
    public void startAgent(Map<String, Object> agentProperties) {
        contexts.add(run(FerryService.COMPUTE_AGENT, agentProperties));
    }

    /**
     * Stops the compute agent that serves {@code host}, as a stopped agent process would stop: it reads no more
     * commands and reports nothing more, while its hypervisor (a real libvirtd) runs its jobs on. Start it again with
     * {@link #startAgent} and the same properties: it finds the jobs still running and follows them.
     */
    public void stopAgent(String host) {
        ConfigurableApplicationContext context = agentContextOf(host);
        contexts.remove(context);
        context.close();
        log.info("stopped the compute agent of {}", host);
    }

    /**
     * The management listener ({@code /actuator/health}, {@code /actuator/prometheus}) of the first running
     * {@code service}; each service here listens on a free port of its own.
     */
    public String managementUrl(FerryService service) {
        synchronized (contexts) {
            for (ConfigurableApplicationContext context : contexts) {
                if (context.isActive() && service.configName().equals(
                        context.getEnvironment().getProperty("spring.application.name"))) {
                    return "http://127.0.0.1:" + context.getBean(ManagementServer.class).port();
                }
            }
        }
        throw new IllegalStateException(service + " is not running in this cluster");
    }

    /**
     * Test hook (fault injection): cuts {@code host}'s agent off from the broker, as a network partition would: it
     * reads no command and nothing it publishes arrives, while its simulated hypervisor and jobs run on.
     */
    public void isolateAgent(String host) {
        agentContextOf(host).getBean(BrokerIsolation.class).isolate(host);
    }

    /** Ends {@link #isolateAgent}: the host reads its waiting commands and publishes again. */
    public void reconnectAgent(String host) {
        agentContextOf(host).getBean(BrokerIsolation.class).reconnect(host);
    }

    /**
     * The agents of every host this cluster runs, read in-process: what their hypervisors run and hold is the ground
     * truth tests compare the records with (it stays readable while a host is cut off).
     */
    public Map<String, HostAgent> hostAgents() {
        Map<String, HostAgent> all = new LinkedHashMap<>();
        for (ConfigurableApplicationContext context : List.copyOf(contexts)) {
            all.putAll(agentsOf(context));
        }
        return all;
    }

    private ConfigurableApplicationContext agentContextOf(String host) {
        for (ConfigurableApplicationContext context : List.copyOf(contexts)) {
            if (agentsOf(context).containsKey(host)) {
                return context;
            }
        }
        throw new IllegalArgumentException("no agent of this cluster serves host " + host);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, HostAgent> agentsOf(ConfigurableApplicationContext context) {
        return context.containsBean("hostAgents") ? (Map<String, HostAgent>) context.getBean("hostAgents", Map.class)
                : Map.of();
    }

    public String bootstrapServers() {
        return broker != null ? broker.bootstrapServers() : options.externalBootstrap();
    }

    /** The broker this cluster started, or null when it uses an external one. */
    public KafkaBroker broker() {
        return broker;
    }

    /** Waits until the gateway's read models have replayed their topics (it answers 503 until then). */
    private void awaitGatewayCaughtUp() {
        ReadModelCatchUp catchUp = gateway.getBean(ReadModelCatchUp.class);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!catchUp.isCaughtUp()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the gateway's read models did not catch up within 2 minutes: "
                        + catchUp.progress());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the gateway caught up", e);
            }
        }
    }

    public int gatewayPort() {
        return Integer.parseInt(gateway.getEnvironment().getProperty("local.server.port",
                String.valueOf(options.gatewayPort())));
    }

    public String gatewayUrl() {
        return "http://127.0.0.1:" + gatewayPort();
    }

    /** The identity port the gateway bound (5000 by default). */
    public int identityPort() {
        return gateway.getBean(IdentityConfiguration.IdentityConnector.class).port();
    }

    /** Keystone's root, as clients use it for {@code auth_url} (with {@code /v3}). */
    public String identityUrl() {
        return "http://127.0.0.1:" + identityPort();
    }

    /** The embedded identity's accounts, whose client files are {@code <data>/clouds.yaml} and {@code openrc}. */
    public LocalIdentity identity() {
        return identity;
    }

    @Override
    public void close() {
        List<ConfigurableApplicationContext> reversed = new ArrayList<>(contexts);
        Collections.reverse(reversed);
        for (ConfigurableApplicationContext context : reversed) {
            try {
                context.close();
            } catch (RuntimeException e) {
                log.warn("closing {} failed: {}", context.getId(), e.toString());
            }
        }
        contexts.clear();
        if (broker != null) {
            broker.stop();
        }
    }
}
