package io.ferry.deploy;

import io.ferry.agent.adapter.sim.SimHypervisorServer;
import io.ferry.agent.adapter.sim.SimulatedFabric;
import io.ferry.agent.config.AgentConfiguration;
import io.ferry.agent.config.AgentProperties;
import io.ferry.agent.domain.Guest;
import io.ferry.agent.domain.sim.SimulationSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The simulated hypervisor daemon (the analogue of libvirtd with its QEMU processes): runs every simulated host's
 * guests and migration jobs in a process of its own, so that a compute agent can be killed and started again while
 * they go on. Takes the compute agent's {@code --ferry.agent.sim.*} arguments (hosts, instances, speed, seed),
 * {@code --ferry.sim-hypervisor.port} (0: any free port) and {@code --ferry.ready-file}, into which it writes its
 * URL once it serves. Agents reach it with {@code ferry.agent.sim.hypervisor-url}.
 */
public final class SimHypervisorDaemon {

    private SimHypervisorDaemon() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Map<String, String> arguments = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --key=value, got " + arg);
            }
            arguments.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        Binder binder = new Binder(new MapConfigurationPropertySource(arguments));
        AgentProperties.Sim sim = binder.bind("ferry.agent", AgentProperties.class)
                .orElseGet(AgentProperties::new).getSim();
        int port = binder.bind("ferry.sim-hypervisor.port", Integer.class).orElse(0);
        ScheduledExecutorService ticker = Executors.newScheduledThreadPool(2,
                Thread.ofPlatform().daemon().name("sim-tick-", 0).factory());
        SimulatedFabric fabric = new SimulatedFabric(SimulationSettings.defaults().withSeed(sim.getSeed()),
                sim.getSpeed(), sim.getTick(), sim.getProgressInterval(), ticker);
        Map<String, List<Guest>> guests = new LinkedHashMap<>();
        for (AgentProperties.SimHost host : sim.getHosts()) {
            fabric.addHost(AgentConfiguration.simHostSpec(host));
            guests.put(host.getName(), host.getInstances().stream().map(AgentConfiguration::simGuest).toList());
        }
        SimHypervisorServer server = new SimHypervisorServer(fabric, sim.getSwitchover(), guests, port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        String readyFile = arguments.get("ferry.ready-file");
        if (readyFile != null) {
            Path ready = Path.of(readyFile);
            Path partial = ready.resolveSibling(ready.getFileName() + ".tmp");
            Files.writeString(partial, server.url());
            Files.move(partial, ready, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        new CountDownLatch(1).await();
    }
}
