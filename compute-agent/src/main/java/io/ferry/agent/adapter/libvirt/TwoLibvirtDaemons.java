package io.ferry.agent.adapter.libvirt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * Two real, independent libvirt "hosts" on this machine, for the real-libvirt tests and {@code ./ferry bench libvirt}:
 * two session libvirtd daemons run by a throwaway unprivileged user, each with its own XDG directories and host
 * UUID. Installs the packages when they are missing (as root) and fails with the reason when it cannot: never
 * skips. {@link #close()} destroys every domain, then kills each daemon by the pid in its pid file, then removes the
 * directories; a shutdown hook does the same if the JVM ends first. Not used by a running agent: it lives in main
 * code only so that the tests and the benchmark share one testbed.
 */
public final class TwoLibvirtDaemons implements AutoCloseable {

    public static final String USER = "ferry-libvirt";
    private static final String[] PACKAGES = {"libvirt-daemon", "libvirt-daemon-driver-qemu", "libvirt-clients",
            "qemu-system-x86", "libvirt0"};
    private static final String PATH = "/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Map<String, String> HOST_UUIDS = Map.of(
            "a", "5f0c1d2e-3a4b-4c6d-8e9f-0a1b2c3d4e5a",
            "b", "6a1d2e3f-4b5c-4d7e-9fa0-1b2c3d4e5f6b");

    /** Where the dirtying kernel starts writing: above itself (loaded at 1 MiB). */
    private static final int DIRTY_FROM_MIB = 2;
    /** Guest memory of every testbed guest. */
    public static final int GUEST_MEMORY_MIB = 128;

    /** One daemon: its directories and how to reach it. */
    public record Daemon(String name, Path root) {
        public Path runtimeDir() {
            return root.resolve("run");
        }

        public String uri() {
            return "qemu+unix:///session?socket=" + runtimeDir().resolve("libvirt/libvirt-sock");
        }

        public Path pidFile() {
            return runtimeDir().resolve("libvirt/libvirtd.pid");
        }

        public Path log() {
            return root.resolve("log/libvirtd.log");
        }
    }

    private final Path base;
    private final Map<String, Daemon> daemons = new LinkedHashMap<>();
    private final List<Process> launchers = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::close, "libvirt-fixture-teardown");
    private volatile boolean closed;

    private TwoLibvirtDaemons(Path base) {
        this.base = base;
    }

    /** Installs what is missing, starts daemons {@code a} and {@code b} under {@code /tmp/ferry-libvirt-<tag>-<hex>}. */
    public static TwoLibvirtDaemons start(String tag) {
        if (tag.length() > 8) {
            throw new IllegalArgumentException("keep the tag short (QEMU's socket paths): " + tag);
        }
        ensurePackages();
        ensureUser();
        Path base = newBase(tag);
        TwoLibvirtDaemons fixture = new TwoLibvirtDaemons(base);
        Runtime.getRuntime().addShutdownHook(fixture.shutdownHook);
        try {
            fixture.startDaemon("a");
            fixture.startDaemon("b");
            fixture.awaitAnswer(Duration.ofSeconds(90));
            return fixture;
        } catch (RuntimeException | Error e) {
            fixture.close();
            throw e;
        }
    }

    /**
     * A short directory: QEMU's monitor socket lives under it, and a UNIX socket path must stay under 108 bytes.
     */
    private static Path newBase(String tag) {
        java.util.random.RandomGenerator random = new java.util.Random();
        for (int attempt = 0; ; attempt++) {
            Path base = Path.of("/tmp", "ferry-libvirt-" + tag + "-" + Integer.toHexString(0x1000 + random.nextInt(0xf000)));
            try {
                return Files.createDirectory(base);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 20) {
                    throw new UncheckedIOException(e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public Daemon daemon(String name) {
        return daemons.get(name);
    }

    public String uri(String name) {
        return daemons.get(name).uri();
    }

    public Path base() {
        return base;
    }

    /**
     * The properties of a compute agent with the libvirt driver serving daemon {@code daemon} as host
     * {@code libvirt-<daemon>} (QEMU's TCG, 100 GB of disk), both daemons its peers with their streams on loopback.
     */
    public Map<String, Object> agentProperties(String daemon) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("ferry.agent.driver", "libvirt");
        properties.put("ferry.agent.libvirt.host-name", "libvirt-" + daemon);
        properties.put("ferry.agent.libvirt.uri", uri(daemon));
        properties.put("ferry.agent.libvirt.virt-type", "qemu");
        properties.put("ferry.agent.libvirt.disk-gb", 100);
        for (String peer : daemons.keySet()) {
            properties.put("ferry.agent.libvirt.peers.libvirt-" + peer + ".uri", uri(peer));
            properties.put("ferry.agent.libvirt.peers.libvirt-" + peer + ".migration-address", "127.0.0.1");
        }
        return properties;
    }

    // ------------------------------------------------------------------ guests

    /** Starts the idle disk-less guest (128 MiB, 1 vCPU, sits in SeaBIOS); returns its UUID. */
    public String startIdleGuest(String daemon, String name) {
        return create(daemon, domainXml(name, "", ""));
    }

    /**
     * Starts the memory-dirtying guest (see {@link #dirtyingKernel}) with a 32 MiB working set and returns its UUID
     * once it has had a second of CPU: past its start and dirtying, so a migration meets its working set from the
     * first iteration.
     */
    public String startDirtyingGuest(String daemon, String name) {
        return startDirtyingGuest(daemon, name, 32);
    }

    /**
     * Starts a memory-dirtying guest writing {@code workingSetMib} MiB over and over (at most 124 of its 128 MiB).
     * Under TCG it dirties about 5,000 pages (~19 MiB) a second, whatever the working set, so on a stream capped at
     * 20 MiB/s each pass leaves about the whole working set dirty: 32 MiB needs a downtime limit of ~1.6 s to
     * converge, 124 MiB ~6 s.
     */
    public String startDirtyingGuest(String daemon, String name, int workingSetMib) {
        if (workingSetMib < 1 || DIRTY_FROM_MIB + workingSetMib > GUEST_MEMORY_MIB - 2) {
            throw new IllegalArgumentException("working set of " + workingSetMib + " MiB does not fit a "
                    + GUEST_MEMORY_MIB + " MiB guest");
        }
        String uuid = create(daemon, domainXml(name, "<kernel>" + kernel(workingSetMib) + "</kernel>", ""));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (withConnection(daemon, c -> c.domainLookupByUUIDString(uuid).getInfo().cpuTime) < 1_000_000_000L) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("guest " + name + " did not get a second of CPU within 30 s");
            }
            pause(Duration.ofMillis(100));
        }
        return uuid;
    }

    /** Defines (does not start) an idle guest with this {@code <cpu>} element; returns its UUID. */
    public String defineGuestWithCpu(String daemon, String name, String cpuXml) {
        return withConnection(daemon, c -> c.domainDefineXML(domainXml(name, "", cpuXml)).getUUIDString());
    }

    /**
     * Defines an idle guest with this {@code <cpu>} element persistently and starts it; returns its UUID. With
     * {@code check='none'} a CPU naming features this host lacks still starts (QEMU drops them): its definition
     * keeps asking for them, as a guest defined on a newer host does.
     */
    public String startPersistentGuestWithCpu(String daemon, String name, String cpuXml) {
        return withConnection(daemon, c -> {
            Domain domain = c.domainDefineXML(domainXml(name, "", cpuXml));
            domain.create();
            return domain.getUUIDString();
        });
    }

    /** Names of the domains running on a daemon. */
    public List<String> runningDomains(String daemon) {
        return withConnection(daemon, c -> {
            List<String> names = new ArrayList<>();
            for (int id : c.listDomains()) {
                names.add(c.domainLookupByID(id).getName());
            }
            return names;
        });
    }

    /** Names of the domains defined (persistent, not running) on a daemon. */
    public List<String> definedDomains(String daemon) {
        return withConnection(daemon, c -> List.of(c.listDefinedDomains()));
    }

    /** Sets {@code vm.unprivileged_userfaultfd=1} (post-copy as a normal user) until the answer is closed. */
    public AutoCloseable allowUnprivilegedUserfaultfd() {
        Path sysctl = Path.of("/proc/sys/vm/unprivileged_userfaultfd");
        try {
            String before = Files.readString(sysctl).trim();
            Files.writeString(sysctl, "1");
            return () -> Files.writeString(sysctl, before);
        } catch (IOException e) {
            throw new IllegalStateException("post-copy needs vm.unprivileged_userfaultfd=1 and it cannot be set: " + e, e);
        }
    }

    private String create(String daemon, String xml) {
        return withConnection(daemon, c -> c.domainCreateXML(xml, 0).getUUIDString());
    }

    private static String domainXml(String name, String osExtra, String cpu) {
        return "<domain type='qemu'><name>" + name + "</name><memory unit='MiB'>" + GUEST_MEMORY_MIB
                + "</memory><vcpu>1</vcpu>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type>" + osExtra + "</os>" + cpu
                + "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator><memballoon model='none'/></devices>"
                + "</domain>";
    }

    private synchronized Path kernel(int workingSetMib) {
        Path kernel = base.resolve("dirtying-kernel-" + workingSetMib + ".bin");
        if (!Files.exists(kernel)) {
            try {
                Files.write(kernel, dirtyingKernel(DIRTY_FROM_MIB + workingSetMib));
                Files.setPosixFilePermissions(kernel, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return kernel;
    }

    /**
     * A flat multiboot kernel (a.out kludge, loaded at 1 MiB, 61 bytes) that loops forever incrementing one word of
     * every 4 KiB page from 2 MiB up to {@code endMib} with a short busy-wait between writes (so every sweep changes
     * the pages' contents, which QEMU's page-sampling calc-dirty-rate compares). Source:
     * {@code _start: mov $0x200000,%eax; 1: incl (%eax); mov $0x800,%ecx; 2: dec %ecx; jnz 2b;
     * add $4096,%eax; cmp $END,%eax; jb 1b; jmp _start}.
     */
    static byte[] dirtyingKernel(int endMib) {
        int magic = 0x1BADB002;
        int flags = 0x00010000;
        java.nio.ByteBuffer code = java.nio.ByteBuffer.allocate(61).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        code.putInt(magic).putInt(flags).putInt(-(magic + flags))
                .putInt(0x100000).putInt(0x100000).putInt(0).putInt(0).putInt(0x100020);
        code.put(new byte[] {(byte) 0xb8}).putInt(DIRTY_FROM_MIB << 20)
                .put(new byte[] {(byte) 0xff, 0x00, (byte) 0xb9}).putInt(0x800)
                .put(new byte[] {0x49, 0x75, (byte) 0xfd, 0x05}).putInt(4096)
                .put((byte) 0x3d).putInt(endMib << 20)
                .put(new byte[] {0x72, (byte) 0xea, (byte) 0xeb, (byte) 0xe3});
        return code.array();
    }

    @FunctionalInterface
    public interface LibvirtCall<T> {
        T apply(Connect connect) throws LibvirtException;
    }

    /** Runs {@code call} on a fresh connection to a daemon. */
    public <T> T withConnection(String daemon, LibvirtCall<T> call) {
        LibvirtConnection.silenceLibvirtStderr();
        Connect connect = null;
        try {
            connect = new Connect(uri(daemon));
            return call.apply(connect);
        } catch (LibvirtException e) {
            throw new IllegalStateException("libvirt " + daemon + ": " + e.getMessage(), e);
        } finally {
            if (connect != null) {
                try {
                    connect.close();
                } catch (LibvirtException ignored) {
                    // the daemon went away; nothing to release
                }
            }
        }
    }

    // ------------------------------------------------------------------ daemons

    private void startDaemon(String name) {
        Daemon daemon = new Daemon(name, base.resolve(name));
        try {
            for (String dir : List.of("run", "config/libvirt", "cache", "data", "home", "log")) {
                Files.createDirectories(daemon.root().resolve(dir));
            }
            Files.writeString(daemon.root().resolve("config/libvirt/libvirtd.conf"),
                    "host_uuid = \"" + HOST_UUIDS.get(name) + "\"\n"
                            + "unix_sock_rw_perms = \"0770\"\n"
                            + "auth_unix_rw = \"none\"\n"
                            + "log_outputs = \"3:file:" + daemon.log() + "\"\n");
            Files.writeString(daemon.root().resolve("config/libvirt/qemu.conf"), "stdio_handler = \"file\"\n");
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
            run(Duration.ofSeconds(10), "chown", "-R", USER, base.toString());
            Path out = daemon.root().resolve("log/stdout");
            Process launcher = new ProcessBuilder("runuser", "-u", USER, "--", "env", "-i", "PATH=" + PATH,
                    "XDG_RUNTIME_DIR=" + daemon.runtimeDir(), "XDG_CONFIG_HOME=" + daemon.root().resolve("config"),
                    "XDG_CACHE_HOME=" + daemon.root().resolve("cache"), "XDG_DATA_HOME=" + daemon.root().resolve("data"),
                    "HOME=" + daemon.root().resolve("home"), "/usr/sbin/libvirtd")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            launchers.add(launcher);
            daemons.put(name, daemon);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start libvirtd " + name, e);
        }
    }

    /** Kills one daemon by its pid (its guests keep running, as QEMU outlives libvirtd). */
    public synchronized void stopDaemon(String name) {
        readPid(daemons.get(name).pidFile()).ifPresent(pid -> kill(pid, "libvirtd " + name));
    }

    /** Starts a stopped daemon again on the same directories and waits until it answers. */
    public synchronized void restartDaemon(String name) {
        startDaemon(name);
        awaitAnswer(Duration.ofSeconds(60));
    }

    private void awaitAnswer(Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        for (String name : daemons.keySet()) {
            String last = "no answer yet";
            while (true) {
                try {
                    withConnection(name, c -> c.listDomains());
                    break;
                } catch (IllegalStateException e) {
                    last = e.getMessage();
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("libvirtd " + name + " did not answer within " + limit + ": "
                            + last + "; its log: " + tail(daemons.get(name).root().resolve("log/stdout")));
                }
                pause(Duration.ofMillis(100));
            }
        }
    }

    /** Destroys every domain (QEMU outlives libvirtd), kills each daemon by its pid, removes the directories. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // called from the hook itself
        }
        for (String name : daemons.keySet()) {
            try {
                withConnection(name, c -> {
                    for (int id : c.listDomains()) {
                        Domain domain = c.domainLookupByID(id);
                        domain.destroy();
                    }
                    for (String defined : c.listDefinedDomains()) {
                        c.domainLookupByName(defined).undefine();
                    }
                    return null;
                });
            } catch (RuntimeException e) {
                System.err.println("libvirt fixture: cannot destroy the domains of " + name + ": " + e.getMessage());
            }
            killQemusOf(daemons.get(name));
            readPid(daemons.get(name).pidFile()).ifPresent(pid -> kill(pid, "libvirtd " + name));
        }
        for (Process launcher : launchers) {
            launcher.destroy();
        }
        keepLogs();
        deleteRecursively(base);
    }

    /** Copies each daemon's log and each guest's QEMU log to {@code target/libvirt-logs/} for a failed CI run. */
    private void keepLogs() {
        Path target = Path.of("target", "libvirt-logs", base.getFileName().toString());
        for (Daemon daemon : daemons.values()) {
            try (Stream<Path> logs = Files.walk(daemon.root())) {
                for (Path log : logs.filter(p -> p.toString().endsWith(".log") || p.getFileName().toString().equals("stdout")).toList()) {
                    Path copy = target.resolve(daemon.name() + "-" + log.getFileName());
                    Files.createDirectories(target);
                    Files.copy(log, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException | UncheckedIOException e) {
                System.err.println("libvirt fixture: cannot keep the logs of " + daemon.name() + ": " + e.getMessage());
            }
        }
    }

    /** Any QEMU a daemon started and left behind: its pid files live under the daemon's runtime directory. */
    private static void killQemusOf(Daemon daemon) {
        Path qemuRun = daemon.runtimeDir().resolve("libvirt/qemu/run");
        if (!Files.isDirectory(qemuRun)) {
            return;
        }
        try (Stream<Path> files = Files.list(qemuRun)) {
            files.filter(p -> p.toString().endsWith(".pid"))
                    .forEach(p -> readPid(p).ifPresent(pid -> kill(pid, "qemu " + p.getFileName())));
        } catch (IOException e) {
            System.err.println("libvirt fixture: " + e);
        }
    }

    private static Optional<Long> readPid(Path file) {
        try {
            return Files.exists(file) ? Optional.of(Long.parseLong(Files.readString(file).trim())) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void kill(long pid, String what) {
        ProcessHandle.of(pid).ifPresent(process -> {
            process.destroy();
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
                System.err.println("libvirt fixture: " + what + " (pid " + pid + ") needed SIGKILL");
            }
        });
    }

    // ------------------------------------------------------------------ machine preparation

    private static void ensurePackages() {
        if (Files.isExecutable(Path.of("/usr/sbin/libvirtd")) && Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64"))
                && Files.isExecutable(Path.of("/usr/sbin/runuser"))) {
            return;
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("libvirt and QEMU are not installed and this test runs as "
                    + System.getProperty("user.name") + ", not root: install " + String.join(" ", PACKAGES));
        }
        List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "--no-install-recommends"));
        install.addAll(List.of(PACKAGES));
        String first = run(Duration.ofMinutes(5), install.toArray(String[]::new));
        if (first == null) {
            return;
        }
        run(Duration.ofMinutes(5), "apt-get", "update");
        String second = run(Duration.ofMinutes(5), install.toArray(String[]::new));
        if (second != null) {
            throw new IllegalStateException("cannot install libvirt and QEMU (" + String.join(" ", PACKAGES) + "): "
                    + second);
        }
    }

    private static void ensureUser() {
        if (run(Duration.ofSeconds(10), "id", "-u", USER) == null) {
            return;
        }
        String failure = run(Duration.ofSeconds(30), "useradd", "--system", "--no-create-home", "--shell",
                "/usr/sbin/nologin", USER);
        if (failure != null) {
            throw new IllegalStateException("cannot create the throwaway user " + USER + ": " + failure);
        }
    }

    /** Runs a command; null when it succeeded, else its exit status and output. */
    private static String run(Duration limit, String... command) {
        try {
            Path out = Files.createTempFile("ferry-libvirt-cmd", ".log");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                        .start();
                if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    return String.join(" ", command) + " did not finish within " + limit;
                }
                return process.exitValue() == 0 ? null
                        : String.join(" ", command) + " exited " + process.exitValue() + ": " + tail(out);
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            return String.join(" ", command) + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return String.join(" ", command) + ": interrupted";
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** The fixture's own wait between connection attempts (not a test's: tests await with a deadline). */
    private static void pause(Duration duration) {
        try {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a socket of a dying daemon; the directory is under /tmp
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("libvirt fixture: cannot remove " + root + ": " + e.getMessage());
        }
    }
}
