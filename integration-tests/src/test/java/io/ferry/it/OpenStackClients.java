package io.ferry.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Debian's {@code openstack} and {@code nova} commands, installed when missing and run with {@code /usr/bin/python3}'s
 * environment (a clean one: no OS_* variables from the caller).
 */
final class OpenStackClients {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PACKAGES = List.of("python3-openstackclient", "python3-novaclient");

    /** What a command printed and how it ended. */
    record Run(int exit, String out, String err) {
        JsonNode json() {
            if (exit != 0) {
                throw new AssertionError("command failed (" + exit + "): " + err + out);
            }
            return JSON.readTree(out);
        }

        /** A prettytable (nova's output) as rows of column → value. */
        List<Map<String, String>> table() {
            if (exit != 0) {
                throw new AssertionError("command failed (" + exit + "): " + err + out);
            }
            List<String> header = null;
            List<Map<String, String>> rows = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (!line.startsWith("|")) {
                    continue;
                }
                String[] cells = line.substring(1, line.lastIndexOf('|')).split("\\|", -1);
                List<String> values = new ArrayList<>();
                for (String cell : cells) {
                    values.add(cell.trim());
                }
                if (header == null) {
                    header = values;
                } else {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 0; i < header.size() && i < values.size(); i++) {
                        row.put(header.get(i), values.get(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    private final Path home;
    private final Map<String, String> environment;

    OpenStackClients(Path home, Map<String, String> environment) {
        this.home = home;
        this.environment = environment;
    }

    /**
     * Makes sure both clients are there: installs Debian's packages as root when they are missing; fails with the
     * reason when that is impossible (never skips).
     */
    static void ensureInstalled() {
        if (importable()) {
            return;
        }
        String uid = exec(List.of("id", "-u"), Map.of(), Path.of("/")).out().trim();
        if (!uid.equals("0")) {
            throw new AssertionError("python3-openstackclient / python3-novaclient are missing and this test runs as uid "
                    + uid + ", not root, so it cannot apt-get install them. Install them: apt-get install -y "
                    + "--no-install-recommends " + String.join(" ", PACKAGES));
        }
        List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "--no-install-recommends"));
        install.addAll(PACKAGES);
        Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
        Run first = exec(install, env, Path.of("/"));
        if (first.exit() != 0) {
            Run update = exec(List.of("apt-get", "update"), env, Path.of("/"));
            Run second = exec(install, env, Path.of("/"));
            if (second.exit() != 0) {
                throw new AssertionError("cannot install " + PACKAGES + " with apt-get (update exit " + update.exit()
                        + "): " + second.err());
            }
        }
        if (!importable()) {
            throw new AssertionError("installed " + PACKAGES + " but /usr/bin/python3 still cannot import them");
        }
    }

    private static boolean importable() {
        return Files.isExecutable(Path.of("/usr/bin/openstack")) && Files.isExecutable(Path.of("/usr/bin/nova"))
                && exec(List.of("/usr/bin/python3", "-c", "import openstackclient, novaclient"), Map.of(), Path.of("/"))
                .exit() == 0;
    }

    /** {@code openstack <args>}. */
    Run openstack(String... args) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "/usr/bin/openstack"));
        command.addAll(List.of(args));
        return exec(command, environment, home);
    }

    /** {@code nova <args>} after {@code source <openrc> <user>}. */
    Run nova(Path openrc, String user, String... args) {
        StringBuilder script = new StringBuilder("source '" + openrc + "' " + user + " && exec /usr/bin/python3 /usr/bin/nova");
        for (String arg : args) {
            script.append(" '").append(arg.replace("'", "'\\''")).append("'");
        }
        return exec(List.of("/bin/bash", "-c", script.toString()), environment, home);
    }

    static Run exec(List<String> command, Map<String, String> env, Path dir) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        builder.environment().put("LANG", "C.UTF-8");
        builder.environment().put("HOME", dir.toString());
        builder.environment().putAll(env);
        try {
            Path out = Files.createTempFile("ferry-cli", ".out");
            Path err = Files.createTempFile("ferry-cli", ".err");
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(600, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            Run run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
