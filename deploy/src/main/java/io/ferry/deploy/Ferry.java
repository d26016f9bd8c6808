package io.ferry.deploy;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The launcher behind {@code ./ferry up}: an embedded Kafka broker, the four services and a simulated fleet on this
 * machine, until Ctrl-C.
 */
public final class Ferry {

    private Ferry() {
    }

    public static void main(String[] args) throws InterruptedException {
        String command = args.length == 0 ? "up" : args[0];
        if (!command.equals("up")) {
            System.err.println("usage: ferry up [--hosts N] [--vms N] [--speed X] [--port P] [--identity-port P] [--kafka-port P] "
                    + "[--kafka HOST:PORT] [--data DIR]");
            System.exit(2);
        }
        int hosts = 3;
        int vms = 12;
        double speed = 1.0;
        int port = 8774;
        int kafkaPort = 9092;
        int identityPort = 5000;
        String kafka = null;
        Path data = Path.of(".ferry");
        for (int i = 1; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--hosts" -> hosts = Integer.parseInt(require(args[i], value));
                case "--vms" -> vms = Integer.parseInt(require(args[i], value));
                case "--speed" -> speed = Double.parseDouble(require(args[i], value));
                case "--port" -> port = Integer.parseInt(require(args[i], value));
                case "--identity-port" -> identityPort = Integer.parseInt(require(args[i], value));
                case "--kafka-port" -> kafkaPort = Integer.parseInt(require(args[i], value));
                case "--kafka" -> kafka = require(args[i], value);
                case "--data" -> data = Path.of(require(args[i], value));
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
            i++;
        }
        long started = System.nanoTime();
        FerryCluster.Options options = FerryCluster.Options.defaults(data.toAbsolutePath())
                .withBrokerPort(kafkaPort).withExternalBootstrap(kafka).withGatewayPort(port)
                .withFleet(SimFleet.standard(hosts, vms)).withSimSpeed(speed).withIdentityPort(identityPort);
        FerryCluster cluster = FerryCluster.start(options);
        Path clouds = cluster.identity().dir().resolve("clouds.yaml");
        Path openrc = cluster.identity().dir().resolve("openrc");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nferry: stopping...");
            cluster.close();
            stopped.countDown();
        }, "ferry-shutdown"));
        System.out.printf("""

                Ferry is up (%.1f s)
                  compute API (Nova v2.1):  %s/v2.1
                  identity (Keystone v3):   %s/v3
                  Kafka bootstrap servers:  %s%s
                  simulated fleet:          %d hosts, %d instances of project demo (speed %.0fx)
                  users:                    admin (project admin, role admin), member (project demo)
                  credentials:              %s, %s (mode 600)

                  try:  export OS_CLIENT_CONFIG_FILE=%s
                        openstack --os-cloud ferry-admin server list --all-projects
                        openstack --os-cloud ferry-member server list
                   or:  source %s admin; nova hypervisor-list
                Ctrl-C stops everything.
                """, (System.nanoTime() - started) / 1e9, cluster.gatewayUrl(), cluster.identityUrl(),
                cluster.bootstrapServers(),
                kafka == null ? " (embedded KRaft broker, data in " + data.resolve("kafka") + ")" : "",
                hosts, vms, speed, clouds, openrc, clouds, openrc);
        stopped.await();
    }

    private static String require(String option, String value) {
        if (value == null) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return value;
    }
}
