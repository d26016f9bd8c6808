package io.ferry.agent.adapter.libvirt;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import io.ferry.agent.app.HypervisorDriver;
import io.ferry.agent.app.MigrationListener;
import io.ferry.agent.domain.DirtyRateSample;
import io.ferry.agent.domain.Guest;
import io.ferry.agent.domain.JobEnd;
import io.ferry.agent.domain.JobReading;
import io.ferry.agent.domain.MigrationOrder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The driver of one real host: libvirt-java for the connection, inventory and domains, a small JNA binding for
 * what 0.5.2 lacks ({@code virDomainMigrateToURI3} with typed parameters, job stats, post-copy, CPU comparison,
 * domain events). Each migration's blocking call runs on its own thread; its progress is read every
 * {@code progressInterval} on the shared ticker, and at once when libvirt reports a new iteration
 * ({@code MIGRATION_ITERATION}); the end figures come from {@code JOB_COMPLETED} (the destination's completed-job
 * stats as the fallback), arrivals and departures are confirmed by {@code LIFECYCLE} events (a query of the domain
 * as the fallback). Directives come from the agent's command thread. All share the one connection.
 */
public final class LibvirtDriver implements HypervisorDriver, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LibvirtDriver.class);
    /** Ports tried when the destination finds the chosen one taken (only when Ferry chooses the ports). */
    private static final int PORT_ATTEMPTS = 5;
    /** Namespace of the metadata that marks a domain with the Ferry migration it runs. */
    static final String FERRY_METADATA_URI = "https://ferry.io/libvirt/migration/1";
    /** QEMU's default maximum downtime. */
    private static final long DEFAULT_DOWNTIME_MS = 300;
    /** How long a completed migration waits for the source's JOB_COMPLETED event before reading the destination. */
    private static final Duration COMPLETED_EVENT_GRACE = Duration.ofSeconds(1);
    /** Domains whose last lifecycle event and completed-job figures are remembered. */
    private static final int REMEMBERED_DOMAINS = 1_000;
    /** How long after its period a dirty rate measurement may keep the stream waiting. */
    private static final Duration DIRTY_RATE_GRACE = Duration.ofSeconds(2);

    private final LibvirtSettings settings;
    private final LibvirtConnection connection;
    private final ScheduledExecutorService ticker;
    private final Clock clock;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final AtomicInteger nextPort = new AtomicInteger();
    /** Held for the driver's life: libvirt calls its JNA callbacks by address. */
    private final LibvirtEvents events;
    private final Map<NativeConnect, LibvirtEvents.Registration> registrations = new ConcurrentHashMap<>();
    private final Map<String, LibvirtEvents.Lifecycle> lifecycle = bounded();
    private final Map<String, JobStats> completedJobs = bounded();
    private volatile boolean closed;

    private final DomainDirtyRates dirtyRates;
    private final LibvirtHostView host;

    public LibvirtDriver(LibvirtSettings settings, ScheduledExecutorService ticker, Clock clock) {
        this(settings, ticker, clock, Duration.ofSeconds(30));
    }

    /**
     * @param dirtyRateInterval how often, at most, each running domain's dirty rate is measured for the inventory
     *                          (when {@link LibvirtSettings#dirtyRateCalc} is on)
     */
    public LibvirtDriver(LibvirtSettings settings, ScheduledExecutorService ticker, Clock clock,
                         Duration dirtyRateInterval) {
        this.dirtyRates = new DomainDirtyRates(settings.dirtyRateCalc(), dirtyRateInterval, clock);
        this.settings = settings;
        this.ticker = ticker;
        this.clock = clock;
        this.events = new LibvirtEvents(new EventListener(), clock);
        this.connection = new LibvirtConnection(settings.uri(), clock, settings.reconnectInitial(),
                settings.reconnectMax(), new LibvirtConnection.Hook() {
            @Override
            public void opened(NativeConnect connect) {
                registrations.put(connect, events.register(connect));
            }

            @Override
            public void closing(NativeConnect connect) {
                LibvirtEvents.Registration registration = registrations.remove(connect);
                if (registration != null) {
                    LibvirtEvents.deregister(registration);
                }
            }
        });
        this.host = new LibvirtHostView(settings, connection, lifecycle);
    }

    private static <V> Map<String, V> bounded() {
        return java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > REMEMBERED_DOMAINS;
            }
        });
    }

    // ---------------------------------------------------------------- events

    /** libvirt's events, on its event loop thread: nothing here blocks or calls libvirt back. */
    private final class EventListener implements LibvirtEvents.Listener {

        @Override
        public void iteration(String domainUuid, int iteration) {
            Job job = jobOf(domainUuid);
            if (job == null || job.done) {
                return;
            }
            log.debug("migration {}: libvirt reports iteration {}", job.order.migrationUuid(), iteration);
            try {
                ticker.execute(() -> poll(job));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                log.debug("migration {}: no reading for iteration {}: the agent is stopping", job.order.migrationUuid(),
                        iteration);
            }
        }

        @Override
        public void jobCompleted(String domainUuid, JobStats stats) {
            completedJobs.put(domainUuid, stats);
            Job job = jobOf(domainUuid);
            if (job != null) {
                job.completedEvent.complete(stats);
            }
        }

        @Override
        public void lifecycle(String domainUuid, LibvirtEvents.Lifecycle event) {
            lifecycle.put(domainUuid, event);
            log.debug("instance {} on {}: {}", domainUuid, settings.hostName(), event.name());
        }
    }

    private Job jobOf(String domainUuid) {
        for (Job job : jobs.values()) {
            if (job.order.guest().uuid().equals(domainUuid)) {
                return job;
            }
        }
        return null;
    }

    /** The last lifecycle event libvirt reported for the domain on this host, if any since the driver started. */
    Optional<LibvirtEvents.Lifecycle> lastLifecycle(String domainUuid) {
        return Optional.ofNullable(lifecycle.get(domainUuid));
    }

    /** The figures of the domain's last completed job as libvirt's JOB_COMPLETED event carried them. */
    Optional<JobStats> completedJob(String domainUuid) {
        return Optional.ofNullable(completedJobs.get(domainUuid));
    }

    @Override
    public String name() {
        return "libvirt";
    }

    /** Whether the daemon answers now; reconnects when the backoff allows. */
    public boolean reachable() {
        return connection.reachable();
    }

    @Override
    public Optional<String> connectionProblem() {
        return connection.problem();
    }

    // ---------------------------------------------------------------- inventory and checks (LibvirtHostView)

    @Override
    public Optional<HostFacts> hostFacts() {
        return Optional.of(host.facts());
    }

    @Override
    public List<Guest> runningGuests() {
        return host.runningGuests();
    }

    @Override
    public Optional<String> guestCpu(String instanceUuid) {
        return host.guestCpu(instanceUuid);
    }

    @Override
    public Optional<String> destinationRefusal(Guest guest, Optional<String> guestCpu) {
        return host.destinationRefusal(guest, guestCpu);
    }

    @Override
    public Optional<String> arrivalProblem(String instanceUuid) {
        return host.arrivalProblem(instanceUuid);
    }

    @Override
    public Optional<String> departureProblem(String instanceUuid) {
        return host.departureProblem(instanceUuid);
    }

    // ---------------------------------------------------------------- migration

    @Override
    public void startMigration(MigrationOrder order, MigrationListener listener) {
        Job job = new Job(order, listener);
        if (jobs.putIfAbsent(order.migrationUuid(), job) != null) {
            throw new IllegalStateException("migration " + order.migrationUuid() + " already runs on "
                    + settings.hostName());
        }
        Thread.ofPlatform().daemon().name("libvirt-migrate-" + order.migrationUuid()).start(() -> run(job, this::migrate));
    }

    private void run(Job job, Function<Job, JobEnd> body) {
        MigrationOrder order = job.order;
        MDC.put("migration", order.migrationUuid());
        MDC.put("instance", order.guest().uuid());
        MDC.put("source", order.sourceHost());
        MDC.put("dest", order.destinationHost());
        JobEnd end;
        try {
            end = body.apply(job);
        } catch (RuntimeException e) {
            log.error("migration {} of {} failed before libvirt ran it: {}", order.migrationUuid(),
                    order.guest().uuid(), e.getMessage());
            end = new JobEnd(JobEnd.Outcome.FAILED, e.getMessage(), 0, 0, 0, order.guest().memoryBytes(), 0, false);
        } finally {
            job.stopPolling();
            jobs.remove(order.migrationUuid());
            job.free();
        }
        if (closed || end == null) {
            // this agent stopped meanwhile: libvirtd runs the job on, and the next agent follows it (runningJobs)
            log.info("migration {} of {}: the agent stopped; its end is left to the next agent", order.migrationUuid(),
                    order.guest().uuid());
            MDC.clear();
            return;
        }
        try {
            job.listener.ended(end);
        } finally {
            MDC.clear();
        }
    }

    private JobEnd migrate(Job job) {
        MigrationOrder order = job.order;
        NativeConnect c = connection.get();
        Pointer domain = LibvirtNative.LIB.virDomainLookupByUUIDString(c.pointer(), order.guest().uuid());
        if (domain == null) {
            throw new LibvirtCallFailed(LibvirtNative.LIB.virGetLastErrorMessage());
        }
        job.domain = domain;
        tag(domain, order);
        measureBeforeStreaming(job, domain);
        job.streamStarted = true;
        if (job.abortRequested) {
            untag(domain);
            log.info("migration {} of {} aborted before its stream started", order.migrationUuid(),
                    order.guest().uuid());
            return new JobEnd(JobEnd.Outcome.CANCELLED, "aborted before the stream started", 0, 0, 0,
                    order.guest().memoryBytes(), 0, false);
        }
        LibvirtSettings.Peer peer = settings.peer(order.destinationHost());
        int flags = flags(order);
        long started = clock.millis();
        int attempts = settings.choosesPorts() ? Math.min(PORT_ATTEMPTS, settings.portCount()) : 1;
        int rc = -1;
        String error = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            String migrateUri = "tcp://" + hostInUri(peer.migrationAddress())
                    + (settings.choosesPorts() ? ":" + nextPort() : "");
            try (TypedParams params = new TypedParams()) {
                params.add("migrate_uri", migrateUri).add("listen_address", peer.migrationAddress());
                long bandwidth = order.bandwidthMibps() > 0 ? order.bandwidthMibps() : settings.bandwidthMibps();
                if (bandwidth > 0) {
                    params.add("bandwidth", bandwidth);
                }
                if (settings.parallelConnections() > 1) {
                    params.addInt("parallel.connections", settings.parallelConnections());
                }
                log.info("migrating {} ({}) from {} to {} (flags {}, {})", order.guest().name(),
                        order.guest().uuid(), settings.hostName(), peer.uri(), flags, params.added());
                if (job.poll == null) {
                    job.poll = ticker.scheduleAtFixedRate(() -> poll(job), 0, settings.progressInterval().toMillis(),
                            TimeUnit.MILLISECONDS);
                }
                rc = LibvirtNative.LIB.virDomainMigrateToURI3(domain, peer.uri(), params.pointer(), params.count(),
                        flags);
                error = rc < 0 ? LibvirtNative.LIB.virGetLastErrorMessage() : null;
            }
            if (rc == 0 || error == null || !error.contains("Address already in use") || job.abortRequested) {
                break;
            }
            log.warn("migration {}: the destination's port for {} is taken ({}); trying the next one",
                    order.migrationUuid(), migrateUri, error);
        }
        job.stopPolling();
        long elapsed = clock.millis() - started;
        if (rc == 0) {
            JobEnd end = completed(job, peer, elapsed);
            log.info("migration {} of {} to {} completed in {} ms ({} bytes, downtime {} ms, {} iterations{})",
                    order.migrationUuid(), order.guest().uuid(), order.destinationHost(), end.elapsedMillis(),
                    end.memoryTransferredBytes(), end.downtimeMillis(), end.iterations(),
                    end.postCopy() ? ", post-copy" : "");
            return end;
        }
        untag(domain);
        JobReading last = job.last;
        JobEnd.Outcome outcome = job.abortRequested ? JobEnd.Outcome.CANCELLED
                : job.postCopy ? JobEnd.Outcome.GUEST_LOST : JobEnd.Outcome.FAILED;
        log.warn("migration {} of {} to {} ended {}: {}", order.migrationUuid(), order.guest().uuid(),
                order.destinationHost(), outcome, error);
        return new JobEnd(outcome, error, 0, elapsed, last == null ? 0 : last.iteration(),
                order.guest().memoryBytes(), last == null ? 0 : last.memoryProcessedBytes(), job.postCopy);
    }

    /**
     * The final figures: the source's JOB_COMPLETED event, else the destination's completed-job stats, else the last
     * reading (empty after post-copy).
     */
    private JobEnd completed(Job job, LibvirtSettings.Peer peer, long elapsed) {
        MigrationOrder order = job.order;
        JobReading last = job.last;
        long total = last != null && last.memoryTotalBytes() > 0 ? last.memoryTotalBytes() : order.guest().memoryBytes();
        JobStats event = completedEvent(job);
        if (event != null && event.get("memory_processed") > 0) {
            log.debug("migration {}: end figures from libvirt's JOB_COMPLETED event", order.migrationUuid());
            return end(job, event, elapsed, total);
        }
        JobStats stats = null;
        NativeConnect destination = null;
        try {
            destination = new NativeConnect(peer.uri());
            Pointer domain = LibvirtNative.LIB.virDomainLookupByUUIDString(destination.pointer(), order.guest().uuid());
            if (domain != null) {
                try {
                    stats = JobStats.read(domain, LibvirtNative.VIR_DOMAIN_JOB_STATS_COMPLETED
                            | LibvirtNative.VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED);
                } finally {
                    LibvirtNative.LIB.virDomainFree(domain);
                }
            }
        } catch (LibvirtException | LibvirtCallFailed e) {
            log.warn("cannot read the completed job of {} on {}: {}", order.guest().uuid(), peer.uri(), e.getMessage());
        } finally {
            if (destination != null) {
                try {
                    destination.close();
                } catch (LibvirtException e) {
                    log.debug("closing the connection to {}: {}", peer.uri(), e.getMessage());
                }
            }
        }
        if (stats != null && stats.get("memory_processed") > 0) {
            return end(job, stats, elapsed, total);
        }
        return new JobEnd(JobEnd.Outcome.COMPLETED, null, 0, elapsed, last == null ? 0 : last.iteration(), total,
                last == null ? 0 : last.memoryProcessedBytes(), job.postCopy);
    }

    private static JobEnd end(Job job, JobStats stats, long elapsed, long total) {
        return new JobEnd(JobEnd.Outcome.COMPLETED, null, stats.get("downtime"),
                Math.max(stats.get("time_elapsed"), elapsed), stats.get("memory_iteration"),
                stats.get("memory_total") > 0 ? stats.get("memory_total") : total, stats.get("memory_processed"),
                job.postCopy);
    }

    /** The source's JOB_COMPLETED event for this job, awaited briefly (it may trail the migrate call's answer). */
    private JobStats completedEvent(Job job) {
        if (closed) {
            return null;
        }
        try {
            return job.completedEvent.get(COMPLETED_EVENT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            log.debug("migration {}: no JOB_COMPLETED event; reading the destination's figures",
                    job.order.migrationUuid());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void poll(Job job) {
        synchronized (job) {
            pollLocked(job);
        }
    }

    private void pollLocked(Job job) {
        Pointer domain = job.domain;
        if (domain == null || job.done) {
            return;
        }
        try {
            JobStats stats = JobStats.read(domain, 0);
            if (!stats.active()) {
                return;
            }
            // the order's limit, once QEMU streams (libvirt 9 can block a max-downtime call made while the job
            // is still being set up), and off the ticker
            if (!job.downtimeApplied && stats.get("memory_processed") > 0 && job.order.maxDowntime() != null
                    && job.order.maxDowntime().toMillis() != DEFAULT_DOWNTIME_MS) {
                job.downtimeApplied = true;
                Thread.ofVirtual().name("libvirt-downtime-" + job.order.migrationUuid())
                        .start(() -> setMaxDowntime(job.order.migrationUuid(), job.order.maxDowntime()));
            }
            readDirtyRate(job, domain);
            JobReading reading = reading(job, stats);
            job.last = reading;
            job.listener.progress(reading);
        } catch (LibvirtCallFailed e) {
            log.debug("job stats of {} not readable now: {}", job.order.guest().uuid(), e.getMessage());
        } catch (RuntimeException e) {
            log.warn("progress of migration {} failed: {}", job.order.migrationUuid(), e.toString());
        }
    }

    private JobReading reading(Job job, JobStats stats) {
        JobReading.JobPhase phase = job.postCopy ? JobReading.JobPhase.POST_COPY
                : job.paused ? JobReading.JobPhase.PAUSED
                : stats.get("memory_processed") == 0 ? JobReading.JobPhase.SETUP : JobReading.JobPhase.PRE_COPY;
        return new JobReading(clock.millis(), stats.get("time_elapsed"), stats.get("memory_iteration"),
                stats.get("memory_total"), stats.get("memory_processed"), stats.get("memory_remaining"),
                stats.dirtyRateBytesPerSec(), stats.get("memory_bps"), job.downtimeLimitMillis,
                stats.get("downtime"), (int) stats.get("auto_converge_throttle"), phase, job.measured);
    }

    /**
     * QEMU's calc-dirty-rate (page-sampling) over {@code dirty-rate-calc} just before the stream starts, when
     * configured: its result rides on every reading, seconds after the start, while QEMU's own dirty rate comes only
     * once the first pass is over. It is measured before the stream, not alongside it: libvirt runs the call as a
     * modifying job, which waits for an outgoing migration's job (here it timed out after 30 s with "cannot acquire
     * state change lock"), and a measurement started just before the stream and still running as it began left some
     * migrations of the test guests hanging at their start. A refusal or a late result only costs the early figure.
     */
    private void measureBeforeStreaming(Job job, Pointer domain) {
        Duration period = settings.dirtyRateCalc();
        if (period.isZero()) {
            return;
        }
        try {
            dirtyRates.awaitOwnMeasurement(job.order.guest().uuid());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        long startedAt = clock.millis();
        if (LibvirtNative.LIB.virDomainStartDirtyRateCalc(domain, (int) period.toSeconds(), 0) < 0) {
            log.info("migration {}: no dirty rate measurement: {}", job.order.migrationUuid(),
                    LibvirtNative.LIB.virGetLastErrorMessage());
            return;
        }
        job.dirtyRateStartedAt = startedAt;
        job.dirtyRatePeriod = period;
        long giveUpAt = startedAt + period.toMillis() + DIRTY_RATE_GRACE.toMillis();
        try {
            while (job.measured == null && !job.abortRequested && clock.millis() < giveUpAt) {
                TimeUnit.MILLISECONDS.sleep(100);
                readDirtyRate(job, domain);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads the calc-dirty-rate result (the {@code dirtyrate.*} stats, a query job) once its period has passed. */
    private void readDirtyRate(Job job, Pointer domain) {
        if (job.dirtyRatePeriod == null || job.measured != null
                || clock.millis() < job.dirtyRateStartedAt + job.dirtyRatePeriod.toMillis()) {
            return;
        }
        DomainDirtyRates.read(domain, job.dirtyRateStartedAt).ifPresent(sample -> {
            job.measured = sample;
            dirtyRates.record(job.order.guest().uuid(), sample);
            log.info("migration {}: the guest dirties {} MiB/s (calc-dirty-rate over {} s)",
                    job.order.migrationUuid(), sample.bytesPerSecond() / (1024 * 1024), sample.periodMillis() / 1000);
        });
    }

    /**
     * The domain's last calc-dirty-rate, when {@code dirty-rate-calc} is on ({@link DomainDirtyRates}): a new
     * measurement is started at most every dirty-rate interval, never while the domain is being migrated.
     */
    @Override
    public Optional<DirtyRateSample> measuredDirtyRate(Guest guest) {
        if (!dirtyRates.enabled() || closed) {
            return Optional.empty();
        }
        Pointer domain = LibvirtNative.LIB.virDomainLookupByUUIDString(connection.get().pointer(), guest.uuid());
        if (domain == null) {
            return Optional.empty();
        }
        try {
            return dirtyRates.measure(domain, guest.uuid(), jobOf(guest.uuid()) != null);
        } finally {
            LibvirtNative.LIB.virDomainFree(domain);
        }
    }

    // ---------------------------------------------------------------- jobs left by an earlier agent

    /**
     * Marks the domain with the migration it is about to run ({@value #FERRY_METADATA_URI} metadata, live only):
     * libvirtd keeps it, so an agent restarted while the job runs knows which migration the job is.
     */
    private void tag(Pointer domain, MigrationOrder order) {
        String xml = "<migration uuid='" + order.migrationUuid() + "' destination='" + order.destinationHost() + "'/>";
        if (LibvirtNative.LIB.virDomainSetMetadata(domain, LibvirtNative.VIR_DOMAIN_METADATA_ELEMENT, xml, "ferry",
                FERRY_METADATA_URI, LibvirtNative.VIR_DOMAIN_AFFECT_LIVE) < 0) {
            log.warn("migration {}: cannot mark {} with it ({}); an agent restarted meanwhile would not find the job",
                    order.migrationUuid(), order.guest().uuid(), LibvirtNative.LIB.virGetLastErrorMessage());
        }
    }

    private static void untag(Pointer domain) {
        LibvirtNative.LIB.virDomainSetMetadata(domain, LibvirtNative.VIR_DOMAIN_METADATA_ELEMENT, null, null,
                FERRY_METADATA_URI, LibvirtNative.VIR_DOMAIN_AFFECT_LIVE);
    }

    /**
     * The migrations libvirtd runs from this host that no job of this process covers: started by an earlier agent
     * process (found by the mark {@link #tag} left on the domain). The orders carry what the mark and the domain
     * tell: migration, guest, destination.
     */
    public List<MigrationOrder> runningJobs() {
        NativeConnect c = connection.get();
        List<MigrationOrder> found = new ArrayList<>();
        for (Guest guest : runningGuests()) {
            Pointer domain = LibvirtNative.LIB.virDomainLookupByUUIDString(c.pointer(), guest.uuid());
            if (domain == null) {
                continue;
            }
            try {
                Pointer metadata = LibvirtNative.LIB.virDomainGetMetadata(domain,
                        LibvirtNative.VIR_DOMAIN_METADATA_ELEMENT, FERRY_METADATA_URI, LibvirtNative.VIR_DOMAIN_AFFECT_LIVE);
                if (metadata == null) {
                    continue;
                }
                String xml = metadata.getString(0);
                com.sun.jna.Native.free(Pointer.nativeValue(metadata));
                Optional<LibvirtXml.MigrationMark> mark = LibvirtXml.migrationMark(xml);
                if (mark.isPresent() && !jobs.containsKey(mark.get().migrationUuid())
                        && !mark.get().destinationHost().equals(settings.hostName())
                        && JobStats.read(domain, 0).migratingOut()) {
                    found.add(new MigrationOrder(mark.get().migrationUuid(), guest, settings.hostName(),
                            mark.get().destinationHost(), false, null, 0, false, false));
                }
            } catch (LibvirtCallFailed e) {
                log.debug("job of {} not readable: {}", guest.uuid(), e.getMessage());
            } finally {
                LibvirtNative.LIB.virDomainFree(domain);
            }
        }
        return found;
    }

    /**
     * Follows a job {@link #runningJobs} found: its readings and its end go to {@code listener}, and directives work
     * on it as on a job this process started. False when libvirt no longer knows the domain.
     */
    public boolean follow(MigrationOrder order, MigrationListener listener) {
        Job job = new Job(order, listener);
        job.downtimeApplied = true;
        Pointer domain = LibvirtNative.LIB.virDomainLookupByUUIDString(connection.get().pointer(), order.guest().uuid());
        if (domain == null) {
            return false;
        }
        job.domain = domain;
        IntByReference state = new IntByReference();
        IntByReference reason = new IntByReference();
        if (LibvirtNative.LIB.virDomainGetState(domain, state, reason, 0) == 0
                && state.getValue() == LibvirtNative.VIR_DOMAIN_PAUSED
                && reason.getValue() == LibvirtNative.VIR_DOMAIN_PAUSED_POSTCOPY) {
            job.postCopy = true;
        }
        if (jobs.putIfAbsent(order.migrationUuid(), job) != null) {
            LibvirtNative.LIB.virDomainFree(domain);
            return false;
        }
        log.info("following migration {} of {} to {} again (started by an earlier agent)", order.migrationUuid(),
                order.guest().uuid(), order.destinationHost());
        job.poll = ticker.scheduleAtFixedRate(() -> poll(job), 0, settings.progressInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        Thread.ofPlatform().daemon().name("libvirt-follow-" + order.migrationUuid()).start(() -> run(job, this::awaitEnd));
        return true;
    }

    /**
     * The end of a job this process did not start (no blocking call to return): waits until libvirt no longer
     * runs it, then tells where the guest is. Gone from here: completed, with the destination's figures. Still
     * here: failed or cancelled, as libvirt's completed-job record says.
     */
    private JobEnd awaitEnd(Job job) {
        MigrationOrder order = job.order;
        long started = clock.millis();
        while (true) {
            if (closed) {
                return null;
            }
            boolean active;
            try {
                active = JobStats.read(job.domain, 0).active();
            } catch (LibvirtCallFailed e) {
                active = false;
            }
            if (!active) {
                break;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(settings.progressInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while monitoring migration " + order.migrationUuid(), e);
            }
        }
        job.stopPolling();
        JobReading last = job.last;
        long elapsed = last != null ? last.elapsedMillis() : clock.millis() - started;
        if (departureProblem(order.guest().uuid()).isEmpty()) {
            JobEnd end = completed(job, settings.peer(order.destinationHost()), elapsed);
            log.info("migration {} of {} (resumed) completed: {}", order.migrationUuid(), order.guest().uuid(), end);
            return end;
        }
        boolean cancelled;
        try {
            cancelled = JobStats.read(job.domain, LibvirtNative.VIR_DOMAIN_JOB_STATS_COMPLETED).type()
                    == LibvirtNative.VIR_DOMAIN_JOB_CANCELLED;
        } catch (LibvirtCallFailed e) {
            cancelled = false;
        }
        untag(job.domain);
        String reason = "the migration job " + (cancelled ? "was cancelled" : "failed") + " while the agent of "
                + settings.hostName() + " was restarting; the guest still runs on " + settings.hostName();
        log.warn("migration {} of {} (resumed): {}", order.migrationUuid(), order.guest().uuid(), reason);
        return new JobEnd(cancelled ? JobEnd.Outcome.CANCELLED : JobEnd.Outcome.FAILED, reason, 0, elapsed,
                last == null ? 0 : last.iteration(), order.guest().memoryBytes(),
                last == null ? 0 : last.memoryProcessedBytes(), false);
    }

    // ---------------------------------------------------------------- directives

    @Override
    public boolean setMaxDowntime(String migrationUuid, Duration downtime) {
        return directive(migrationUuid, "set max downtime " + downtime.toMillis() + " ms", (job, domain) -> {
            check(LibvirtNative.LIB.virDomainMigrateSetMaxDowntime(domain, downtime.toMillis(), 0));
            job.downtimeLimitMillis = downtime.toMillis();
            job.downtimeApplied = true;
        });
    }

    @Override
    public boolean switchToPostCopy(String migrationUuid) {
        return directive(migrationUuid, "switch to post-copy", (job, domain) -> {
            check(LibvirtNative.LIB.virDomainMigrateStartPostCopy(domain, 0));
            job.postCopy = true;
        });
    }

    @Override
    public boolean forceComplete(String migrationUuid) {
        return directive(migrationUuid, "force completion by pausing the guest", (job, domain) -> {
            check(LibvirtNative.LIB.virDomainSuspend(domain));
            job.paused = true;
        });
    }

    @Override
    public boolean abort(String migrationUuid) {
        return directive(migrationUuid, "abort", (job, domain) -> {
            job.abortRequested = true;
            if (!job.streamStarted) {
                return; // still measuring its dirty rate: migrate() ends the job before any stream
            }
            try {
                check(LibvirtNative.LIB.virDomainAbortJob(domain));
            } catch (LibvirtCallFailed e) {
                job.abortRequested = false;
                throw e;
            }
        });
    }

    @Override
    public boolean isRunning(String migrationUuid) {
        return jobs.containsKey(migrationUuid);
    }

    @FunctionalInterface
    private interface DomainAction {
        void apply(Job job, Pointer domain);
    }

    /**
     * Runs a directive on its own handle of the job's domain (so it never shares the migration's handle, nor
     * blocks the progress ticker while libvirt answers). False when no such job runs or libvirt refuses.
     */
    private boolean directive(String migrationUuid, String what, DomainAction action) {
        Job job = jobs.get(migrationUuid);
        if (job == null || job.done) {
            return false;
        }
        String uuid = job.order.guest().uuid();
        Pointer domain;
        try {
            domain = LibvirtNative.LIB.virDomainLookupByUUIDString(connection.get().pointer(), uuid);
        } catch (LibvirtUnavailable e) {
            log.warn("migration {} of {}: cannot {}: {}", migrationUuid, uuid, what, e.getMessage());
            return false;
        }
        if (domain == null) {
            log.warn("migration {} of {}: cannot {}: {}", migrationUuid, uuid, what,
                    LibvirtNative.LIB.virGetLastErrorMessage());
            return false;
        }
        try {
            action.apply(job, domain);
            log.info("migration {} of {}: {}", migrationUuid, uuid, what);
            return true;
        } catch (LibvirtCallFailed e) {
            log.warn("migration {} of {}: cannot {}: {}", migrationUuid, uuid, what, e.getMessage());
            return false;
        } finally {
            LibvirtNative.LIB.virDomainFree(domain);
        }
    }

    private static void check(int rc) {
        if (rc < 0) {
            throw new LibvirtCallFailed(LibvirtNative.LIB.virGetLastErrorMessage());
        }
    }

    // ---------------------------------------------------------------- plumbing

    private int nextPort() {
        int span = settings.migrationPortMax() - settings.migrationPortMin() + 1;
        return settings.migrationPortMin() + Math.floorMod(nextPort.getAndIncrement(), span);
    }

    private int flags(MigrationOrder order) {
        int flags = LibvirtNative.VIR_MIGRATE_LIVE | LibvirtNative.VIR_MIGRATE_PEER2PEER
                | LibvirtNative.VIR_MIGRATE_PERSIST_DEST | LibvirtNative.VIR_MIGRATE_UNDEFINE_SOURCE;
        if (order.blockMigration()) {
            flags |= LibvirtNative.VIR_MIGRATE_NON_SHARED_INC;
        }
        if (order.autoConverge()) {
            flags |= LibvirtNative.VIR_MIGRATE_AUTO_CONVERGE;
        }
        if (order.postCopyPermitted()) {
            flags |= LibvirtNative.VIR_MIGRATE_POSTCOPY;
        }
        if (settings.tls()) {
            flags |= LibvirtNative.VIR_MIGRATE_TLS;
        }
        if (settings.parallelConnections() > 1) {
            flags |= LibvirtNative.VIR_MIGRATE_PARALLEL;
        }
        return flags;
    }

    private static String hostInUri(String address) {
        return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
    }

    /**
     * Stops this driver as a stopped agent process would: no more readings or ends are reported (libvirtd runs the
     * jobs on; the next agent finds them by their mark), the events stop and the connection closes.
     */
    @Override
    public void close() {
        closed = true;
        jobs.values().forEach(Job::stopPolling);
        connection.close();
    }

    /** A migration this driver runs. */
    private static final class Job {
        final MigrationOrder order;
        final MigrationListener listener;
        volatile Pointer domain;
        volatile ScheduledFuture<?> poll;
        volatile JobReading last;
        volatile long downtimeLimitMillis;
        volatile boolean downtimeApplied;
        volatile boolean postCopy;
        volatile boolean paused;
        volatile boolean abortRequested;
        volatile boolean done;
        /** The source's JOB_COMPLETED event. */
        final java.util.concurrent.CompletableFuture<JobStats> completedEvent = new java.util.concurrent.CompletableFuture<>();
        volatile boolean streamStarted;
        volatile long dirtyRateStartedAt;
        volatile Duration dirtyRatePeriod;
        volatile DirtyRateSample measured;

        Job(MigrationOrder order, MigrationListener listener) {
            this.order = order;
            this.listener = listener;
            this.downtimeLimitMillis = order.maxDowntime() == null ? DEFAULT_DOWNTIME_MS : order.maxDowntime().toMillis();
        }

        void stopPolling() {
            done = true;
            ScheduledFuture<?> task = poll;
            if (task != null) {
                task.cancel(false);
            }
        }

        synchronized void free() {
            Pointer d = domain;
            domain = null;
            if (d != null) {
                LibvirtNative.LIB.virDomainFree(d);
            }
        }
    }
}
