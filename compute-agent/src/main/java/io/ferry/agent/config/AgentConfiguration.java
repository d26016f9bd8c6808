package io.ferry.agent.config;

import io.ferry.agent.adapter.kafka.BrokerIsolation;
import io.ferry.agent.adapter.kafka.HostCommandListener;
import io.ferry.agent.adapter.kafka.KafkaAgentEvents;
import io.ferry.agent.adapter.libvirt.LibvirtDriver;
import io.ferry.agent.adapter.libvirt.LibvirtSettings;
import io.ferry.agent.adapter.metrics.AgentMetrics;
import io.ferry.agent.adapter.sim.RemoteSimulatedDriver;
import io.ferry.agent.adapter.sim.SimHypervisorClient;
import io.ferry.agent.adapter.sim.SimulatedDriver;
import io.ferry.agent.adapter.sim.SimulatedFabric;
import io.ferry.agent.app.HostAgent;
import io.ferry.agent.app.HypervisorDriver;
import io.ferry.agent.domain.Guest;
import io.ferry.agent.domain.HostCapacity;
import io.ferry.agent.domain.HostLedger;
import io.ferry.agent.domain.MigrationOrder;
import io.ferry.agent.domain.sim.Bandwidth;
import io.ferry.agent.domain.sim.ByteSize;
import io.ferry.agent.domain.sim.HostSpec;
import io.ferry.agent.domain.sim.SimulationSettings;
import io.ferry.agent.domain.sim.WorkloadProfiles;
import io.ferry.messaging.FerryListeners;
import io.ferry.messaging.FerryMessagingConfiguration;
import io.ferry.messaging.MessagePublisher;
import io.ferry.messaging.TopicAdmin;
import io.ferry.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/** Wires the hosts this agent process serves to their driver and to Kafka. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AgentProperties.class)
@Import(FerryMessagingConfiguration.class)
public class AgentConfiguration {

    @Bean
    public Clock agentClock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "shutdownNow")
    public ScheduledExecutorService agentTicker() {
        return Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("agent-tick-", 0).factory());
    }

    /** The test hook that cuts a host off from the broker (fault injection; idle unless a test calls it). */
    @Bean
    public BrokerIsolation brokerIsolation() {
        return new BrokerIsolation();
    }

    @Bean
    public KafkaAgentEvents agentEvents(MessagePublisher publisher, Clock agentClock, BrokerIsolation brokerIsolation) {
        return new KafkaAgentEvents(publisher, agentClock, brokerIsolation);
    }

    @Bean(destroyMethod = "close")
    public SimulatedFabric simulatedFabric(AgentProperties properties, ScheduledExecutorService agentTicker) {
        AgentProperties.Sim sim = properties.getSim();
        return new SimulatedFabric(SimulationSettings.defaults().withSeed(sim.getSeed()), sim.getSpeed(),
                sim.getTick(), sim.getProgressInterval(), agentTicker);
    }

    /** The simulated hypervisor daemon, when {@code ferry.agent.sim.hypervisor-url} names one. */
    @Bean(destroyMethod = "close")
    @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(name = "ferry.agent.sim.hypervisor-url")
    public SimHypervisorClient simHypervisorClient(AgentProperties properties) {
        return new SimHypervisorClient(properties.getSim().getHypervisorUrl());
    }

    /** The real host's driver when {@code ferry.agent.driver=libvirt}; nothing otherwise. */
    @Bean(destroyMethod = "close")
    @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(name = "ferry.agent.driver",
            havingValue = "libvirt")
    public LibvirtDriver libvirtDriver(AgentProperties properties, ScheduledExecutorService agentTicker,
                                       Clock agentClock) {
        return new LibvirtDriver(libvirtSettings(properties.getLibvirt()), agentTicker, agentClock,
                properties.getDirtyRateInterval());
    }

    /** {@code /actuator/health}'s {@code libvirt} component: DOWN while the daemon does not answer. */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(name = "ferry.agent.driver",
            havingValue = "libvirt")
    public HealthIndicator libvirtHealthIndicator(LibvirtDriver libvirtDriver, AgentProperties properties) {
        String uri = properties.getLibvirt().getUri();
        return () -> (libvirtDriver.reachable() ? Health.up() : Health.down()).withDetail("uri", uri).build();
    }

    static LibvirtSettings libvirtSettings(AgentProperties.Libvirt libvirt) {
        if (libvirt.getHostName() == null || libvirt.getHostName().isBlank()) {
            throw new IllegalStateException("ferry.agent.libvirt.host-name is not set: name the host this agent serves");
        }
        Map<String, LibvirtSettings.Peer> peers = new LinkedHashMap<>();
        libvirt.getPeers().forEach((name, peer) -> peers.put(name, new LibvirtSettings.Peer(
                peer.getUri() != null ? peer.getUri() : libvirt.getPeerUriTemplate().replace("{host}", name),
                peer.getMigrationAddress() != null ? peer.getMigrationAddress() : name)));
        return LibvirtSettings.of(libvirt.getUri(), libvirt.getHostName())
                .withPeerUriTemplate(libvirt.getPeerUriTemplate())
                .withPeers(peers)
                .withMigrationPorts(libvirt.getMigrationPortMin(), libvirt.getMigrationPortMax())
                .withBandwidthMibps(libvirt.getBandwidthMibps())
                .withTls(libvirt.isTls())
                .withParallelConnections(libvirt.getParallelConnections())
                .withProgressInterval(libvirt.getProgressInterval())
                .withVirtType(libvirt.getVirtType())
                .withReconnect(libvirt.getReconnectInitial(), libvirt.getReconnectMax())
                .withNumaStrict(libvirt.isNumaStrict())
                .withDirtyRateCalc(libvirt.getDirtyRateCalc());
    }

    @Bean
    public Map<String, HostAgent> hostAgents(AgentProperties properties, SimulatedFabric simulatedFabric,
                                             KafkaAgentEvents agentEvents, TopicAdmin topicAdmin,
                                             org.springframework.beans.factory.ObjectProvider<LibvirtDriver> libvirtDriver,
                                             org.springframework.beans.factory.ObjectProvider<SimHypervisorClient> simHypervisor,
                                             ScheduledExecutorService agentTicker) {
        if ("libvirt".equals(properties.getDriver())) {
            HostAgent agent = libvirtAgent(properties, libvirtDriver.getObject(), agentEvents);
            topicAdmin.create(List.of(Topics.hostCommandsSpec(agent.host())));
            return Map.of(agent.host(), agent);
        }
        if (!"simulated".equals(properties.getDriver())) {
            throw new IllegalStateException("ferry.agent.driver=" + properties.getDriver()
                    + " is unknown; use simulated or libvirt");
        }
        if (properties.getSim().getHosts().isEmpty()) {
            throw new IllegalStateException("ferry.agent.sim.hosts is empty: configure at least one simulated host");
        }
        Map<String, HostAgent> agents = new LinkedHashMap<>();
        AgentProperties.Sim sim = properties.getSim();
        SimHypervisorClient remote = simHypervisor.getIfAvailable();
        for (AgentProperties.SimHost host : sim.getHosts()) {
            HostLedger ledger = new HostLedger(new HostCapacity(host.getVcpus(), host.getMemoryMb(),
                    host.getMemoryMbReserved(), host.getDiskGb(), host.getCpuModel(), host.getNicBandwidthMbps()));
            if (remote != null) {
                // the daemon is the hypervisor: its guests are the truth, whatever this agent was configured with
                RemoteSimulatedDriver driver = new RemoteSimulatedDriver(host.getName(), remote,
                        properties.getDirtyRateInterval());
                bootLedger(ledger, driver);
                agents.put(host.getName(), new HostAgent(host.getName(), properties.getCell(), ledger, driver, agentEvents,
                        properties.getStreamBandwidthWindow()));
                continue;
            }
            simulatedFabric.addHost(simHostSpec(host));
            host.getInstances().stream().map(AgentConfiguration::simGuest).forEach(ledger::boot);
            SimulatedDriver driver = new SimulatedDriver(simulatedFabric, sim.getSwitchover(),
                    properties.getDirtyRateInterval());
            agents.put(host.getName(), new HostAgent(host.getName(), properties.getCell(), ledger, driver, agentEvents,
                    properties.getStreamBandwidthWindow()));
        }
        if (remote != null) {
            followRunningJobs(agents, remote);
            remote.start(agentTicker, sim.getTick());
        }
        topicAdmin.create(agents.keySet().stream().map(Topics::hostCommandsSpec).toList());
        return agents;
    }

    /** The hosts' gauges for Prometheus. */
    @Bean
    public AgentMetrics agentMetrics(MeterRegistry registry, Map<String, HostAgent> hostAgents) {
        return new AgentMetrics(registry, hostAgents);
    }

    /**
     * A (re)started agent's ledger from the hypervisor, the truth that outlives the agent: the guests it runs, and the
     * room it holds for guests it keeps without running them (lost by a failed post-copy, to be recovered here).
     * Reservations of jobs still in flight are added when those jobs are followed again ({@link HostAgent#resume}).
     */
    public static void bootLedger(HostLedger ledger, HypervisorDriver driver) {
        driver.runningGuests().forEach(ledger::boot);
        driver.heldGuests().forEach(ledger::hold);
    }

    /** After a restart: the jobs the daemon still runs are followed again by their hosts' agents. */
    private static void followRunningJobs(Map<String, HostAgent> agents, SimHypervisorClient remote) {
        Map<String, MigrationOrder> jobs = new LinkedHashMap<>();
        agents.keySet().forEach(host -> remote.jobs(host).forEach(job -> jobs.putIfAbsent(job.migrationUuid(), job)));
        for (MigrationOrder job : jobs.values()) {
            HostAgent source = agents.get(job.sourceHost());
            HostAgent destination = agents.get(job.destinationHost());
            if (destination != null) {
                destination.resume(job);
            }
            if (source != null) {
                remote.listen(job.migrationUuid(), source.resume(job));
            }
        }
    }

    /** The simulator's model of a configured host (its per-stream ceiling the simulator's default unless set). */
    public static HostSpec simHostSpec(AgentProperties.SimHost host) {
        HostSpec spec = HostSpec.of(host.getName(), Bandwidth.gbitPerSecond(host.getNicBandwidthMbps() / 1000.0),
                ByteSize.mib(host.getMemoryMb()));
        Long ceiling = host.getStreamCeilingMbps();
        if (ceiling == null) {
            return spec;
        }
        if (ceiling < 0) {
            throw new IllegalStateException("ferry.agent.sim.hosts[].stream-ceiling-mbps of " + host.getName()
                    + " must be 0 (none) or positive: " + ceiling);
        }
        return new HostSpec(spec.name(), spec.nic(), spec.freeMemory(), Bandwidth.gbitPerSecond(ceiling / 1000.0));
    }

    /** A configured instance as a guest (its uuid derived from its name unless given, so restarts keep it). */
    public static Guest simGuest(AgentProperties.SimInstance instance) {
        WorkloadProfiles.named(instance.getWorkload());
        String uuid = instance.getUuid() != null ? instance.getUuid()
                : UUID.nameUUIDFromBytes(("ferry-sim:" + instance.getName()).getBytes(StandardCharsets.UTF_8)).toString();
        return new Guest(uuid, instance.getName(), instance.getProjectId(), instance.getUserId(),
                instance.getFlavor(), instance.getMemoryMb(), instance.getVcpus(), instance.getDiskGb(),
                instance.getWorkload(), instance.getPciDevices());
    }

    /** The one real host: capacity and running guests read from the hypervisor itself. */
    private static HostAgent libvirtAgent(AgentProperties properties, LibvirtDriver driver,
                                          KafkaAgentEvents agentEvents) {
        AgentProperties.Libvirt libvirt = properties.getLibvirt();
        HypervisorDriver.HostFacts facts = driver.hostFacts().orElseThrow();
        HostLedger ledger = new HostLedger(new HostCapacity(facts.vcpus(), facts.memoryMb(),
                libvirt.getMemoryMbReserved(), libvirt.getDiskGb(), facts.cpuModel(), libvirt.getNicBandwidthMbps()));
        bootLedger(ledger, driver);
        HostAgent agent = new HostAgent(libvirt.getHostName(), properties.getCell(), ledger, driver, agentEvents,
                properties.getStreamBandwidthWindow());
        // after a restart: the migrations libvirtd kept running meanwhile are followed again
        for (MigrationOrder job : driver.runningJobs()) {
            driver.follow(job, agent.resume(job));
        }
        return agent;
    }

    @Bean
    public ConcurrentMessageListenerContainer<String, byte[]> hostCommandContainer(
            FerryListeners listeners, Map<String, HostAgent> hostAgents, MessagePublisher publisher, Clock agentClock,
            BrokerIsolation brokerIsolation) {
        List<String> topics = hostAgents.keySet().stream().map(Topics::hostCommands).toList();
        HostCommandListener listener = new HostCommandListener(hostAgents, publisher, agentClock, brokerIsolation);
        var container = listeners.container("agent-commands", "ferry-agent-" + hostAgents.keySet().iterator().next(),
                FerryListeners.Mode.WORK_GROUP, topics, listener::handle);
        brokerIsolation.commandsFrom(container);
        return container;
    }

    /** Publishes every host's inventory at start and then every heartbeat interval. */
    @Bean
    public SmartLifecycle heartbeat(Map<String, HostAgent> hostAgents, KafkaAgentEvents agentEvents,
                                    ScheduledExecutorService agentTicker, AgentProperties properties) {
        return new SmartLifecycle() {
            private volatile java.util.concurrent.ScheduledFuture<?> task;

            @Override
            public void start() {
                long period = properties.getHeartbeatInterval().toMillis();
                task = agentTicker.scheduleAtFixedRate(() -> hostAgents.values().forEach(agent -> {
                    agent.checkHypervisor();
                    agentEvents.inventory(agent);
                }), 0, period, TimeUnit.MILLISECONDS);
            }

            @Override
            public void stop() {
                if (task != null) {
                    task.cancel(false);
                }
            }

            @Override
            public boolean isRunning() {
                return task != null && !task.isDone();
            }
        };
    }
}
