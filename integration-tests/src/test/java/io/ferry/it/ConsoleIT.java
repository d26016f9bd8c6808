package io.ferry.it;

import io.ferry.deploy.Rest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.deploy.FerryCluster;
import io.ferry.deploy.SimFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The web console end to end, in headless Chromium: Debian's {@code chromium} (installed with apt-get when missing)
 * driven by Playwright ({@code playwright-core} from npm, installed with the machine's own npm into
 * {@code console-e2e/node_modules}; no browser download). The script {@code console-e2e/drain-host.mjs} signs in as
 * the admin, drains compute-a with the page's button and waits until every server has left it in the page; this
 * test then checks the screenshot it saved and, over REST, that the host is empty and disabled.
 */
class ConsoleIT {

    private static final Path E2E = Path.of("console-e2e").toAbsolutePath();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOT = Path.of("target", "console-drain.png").toAbsolutePath();

    @TempDir
    static Path data;
    static FerryCluster cluster;

    @BeforeAll
    static void startFerry() throws Exception {
        ensureChromium();
        ensurePlaywright();
        SimFleet fleet = new SimFleet(List.of(
                new SimFleet.Host("compute-a", 32, 65536, 10000, List.of(
                        new SimFleet.Vm("db-1", 4096, 2, 40, "m1.medium", "database"),
                        new SimFleet.Vm("web-1", 4096, 2, 40, "m1.medium", "web"),
                        new SimFleet.Vm("web-2", 2048, 1, 20, "m1.small", "web"),
                        new SimFleet.Vm("idle-1", 2048, 1, 20, "m1.small", "idle"),
                        new SimFleet.Vm("idle-2", 1024, 1, 10, "m1.tiny", "idle"))),
                new SimFleet.Host("compute-b", 32, 32768, 10000, List.of(
                        new SimFleet.Vm("web-3", 4096, 2, 40, "m1.medium", "web"),
                        new SimFleet.Vm("idle-3", 2048, 1, 20, "m1.small", "idle"))),
                new SimFleet.Host("compute-c", 32, 32768, 10000, List.of(
                        new SimFleet.Vm("idle-4", 2048, 1, 20, "m1.small", "idle")))));
        cluster = FerryCluster.start(FerryCluster.Options.defaults(data).withBrokerPort(0).withGatewayPort(0)
                .withIdentityPort(0).withFleet(fleet).withSimSpeed(4.0)
                .withProperties(Map.of("ferry.agent.heartbeat-interval", "1s")));
    }

    @AfterAll
    static void stopFerry() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void drainsAHostFromTheConsoleInHeadlessChromium() throws Exception {
        Rest admin = Rest.asAdmin(cluster.gatewayUrl(), cluster.identityUrl(), cluster.identity());
        // given the conductor knows compute-a and its five guests (a dry run plans them all)
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Rest.Response plan = admin.post("/ferry/v1/hosts/compute-a/drain?dry_run=true", "{}");
            return plan.status() == 200 && "planned".equals(plan.body().at("/drain/status").asString())
                    && plan.body().at("/drain/instances").size() == 5;
        });
        Files.deleteIfExists(SCREENSHOT);

        // when the script signs in, presses compute-a's Drain button and waits for the page to show it empty
        Path log = Path.of("target", "console-e2e.log").toAbsolutePath();
        ProcessBuilder script = new ProcessBuilder("/usr/bin/node", "drain-host.mjs").directory(E2E.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        script.environment().putAll(Map.of("FERRY_URL", cluster.gatewayUrl(),
                "FERRY_USER", cluster.identity().admin().user(),
                "FERRY_PASSWORD", cluster.identity().admin().password(),
                "FERRY_HOST", "compute-a", "FERRY_SCREENSHOT", SCREENSHOT.toString(),
                "CHROMIUM", CHROMIUM.toString()));
        Process process = script.start();
        boolean ended = process.waitFor(6, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly();
        }

        // then the script saw it through and saved a real screenshot
        String output = Files.readString(log);
        assertThat(ended).as("the console script ended; its output:%n%s", output).isTrue();
        assertThat(process.exitValue()).as("the console script's exit code; its output:%n%s", output).isZero();
        assertThat(output).contains("every server has left compute-a");
        assertThat(SCREENSHOT).exists();
        byte[] png = Files.readAllBytes(SCREENSHOT);
        assertThat(png.length).as("screenshot size").isGreaterThan(20_000);
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');

        // and the gateway agrees: compute-a is empty and disabled, the drain completed
        JsonNode fleet = admin.get("/ferry/v1/fleet").body();
        JsonNode host = DrainApiIT.host(fleet, "compute-a");
        assertThat(host.get("servers")).isEmpty();
        assertThat(host.get("status").asString()).isEqualTo("disabled");
        assertThat(host.get("disabled_reason").asString()).isEqualTo("kernel upgrade (console e2e)");
        assertThat(admin.get("/ferry/v1/drains?host=compute-a").body().get("drains"))
                .filteredOn(d -> !d.get("dry_run").asBoolean()).singleElement()
                .satisfies(d -> assertThat(d.get("status").asString()).isEqualTo("completed"));
        JsonNode services = admin.get("/v2.1/os-services?host=compute-a").body().get("services");
        assertThat(services.get(0).get("status").asString()).isEqualTo("disabled");
    }

    /** Debian's chromium, installed when missing; no way to get it fails the test with the reason. */
    private static void ensureChromium() throws IOException, InterruptedException {
        if (Files.isExecutable(CHROMIUM)) {
            return;
        }
        String install = run(Path.of("."), Duration.ofMinutes(10), "apt-get", "install", "-y", "chromium");
        if (!Files.isExecutable(CHROMIUM)) {
            run(Path.of("."), Duration.ofMinutes(5), "apt-get", "update");
            install = run(Path.of("."), Duration.ofMinutes(10), "apt-get", "install", "-y", "chromium");
        }
        assertThat(CHROMIUM).as("Debian's chromium could not be installed (apt-get install -y chromium):%n%s",
                install).isExecutable();
    }

    /** playwright-core from the committed package-lock.json, with the machine's own npm. */
    private static void ensurePlaywright() throws IOException, InterruptedException {
        if (Files.isDirectory(E2E.resolve("node_modules/playwright-core"))) {
            return;
        }
        String output = run(E2E, Duration.ofMinutes(5), "/usr/bin/npm", "ci", "--no-audit", "--no-fund");
        assertThat(E2E.resolve("node_modules/playwright-core")).as("npm ci in %s failed:%n%s", E2E, output)
                .isDirectory();
    }

    private static String run(Path dir, Duration timeout, String... command) throws IOException,
            InterruptedException {
        Path out = Files.createTempFile("console-it", ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        String output = Files.readString(out);
        Files.deleteIfExists(out);
        return String.join(" ", command) + " -> " + (p.isAlive() ? "timed out" : "exit " + p.exitValue()) + "\n"
                + output;
    }
}
