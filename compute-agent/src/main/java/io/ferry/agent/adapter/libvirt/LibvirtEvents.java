package io.ferry.agent.adapter.libvirt;

import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libvirt's domain events for one driver: the process-wide default event loop (registered once, before any
 * connection that listens, and run by one daemon thread), and this driver's three callbacks registered on each
 * connection it opens: {@code MIGRATION_ITERATION}, {@code JOB_COMPLETED} and {@code LIFECYCLE}, for every domain.
 *
 * <p>The JNA callbacks are fields of this object, which the driver holds for its whole life: libvirt keeps only
 * their native addresses, so a collected callback would crash the event loop thread. Callbacks run on that thread;
 * they only read what libvirt hands them (no round trip) and pass it on to the {@link Listener}.
 */
final class LibvirtEvents {

    private static final Logger log = LoggerFactory.getLogger(LibvirtEvents.class);
    private static final AtomicBoolean LOOP_STARTED = new AtomicBoolean();
    private static final java.time.Duration LOOP_RETRY = java.time.Duration.ofMillis(100);

    /** What the driver does with an event; called on the event loop thread, so it must not block. */
    interface Listener {
        void iteration(String domainUuid, int iteration);

        void jobCompleted(String domainUuid, JobStats stats);

        void lifecycle(String domainUuid, Lifecycle event);
    }

    /**
     * One {@code VIR_DOMAIN_EVENT_ID_LIFECYCLE} event: libvirt's event and detail numbers.
     *
     * @param atMillis when the agent received it
     */
    record Lifecycle(int event, int detail, long atMillis) {
        static final int DEFINED = 0;
        static final int UNDEFINED = 1;
        static final int STARTED = 2;
        static final int SUSPENDED = 3;
        static final int RESUMED = 4;
        static final int STOPPED = 5;
        static final int SHUTDOWN = 6;
        static final int CRASHED = 8;
        /** {@code VIR_DOMAIN_EVENT_STARTED_MIGRATED}: the paused QEMU of an incoming migration. */
        static final int STARTED_MIGRATED = 1;
        /** {@code VIR_DOMAIN_EVENT_STOPPED_MIGRATED}. */
        static final int STOPPED_MIGRATED = 3;
        private static final String[] NAMES = {"defined", "undefined", "started", "suspended", "resumed", "stopped",
                "shutdown", "pmsuspended", "crashed"};

        /**
         * The domain runs here since this event: resumed (an incoming migration ends so, or switches to post-copy so),
         * or started other than by an incoming migration (that start is QEMU waiting, paused, for the stream).
         */
        boolean runs() {
            return event == RESUMED || event == STARTED && detail != STARTED_MIGRATED;
        }

        /** The domain no longer runs here since this event (stopped, undefined, crashed). */
        boolean gone() {
            return event == STOPPED || event == UNDEFINED || event == CRASHED;
        }

        String name() {
            String name = event >= 0 && event < NAMES.length ? NAMES[event] : "event " + event;
            return name + "/" + detail;
        }
    }

    /** The callback ids of one connection's registrations. */
    record Registration(NativeConnect connect, int[] callbackIds) {
    }

    private final Listener listener;
    private final java.time.Clock clock;
    private final LibvirtNative.MigrationIterationCallback onIteration = this::onIteration;
    private final LibvirtNative.JobCompletedCallback onJobCompleted = this::onJobCompleted;
    private final LibvirtNative.LifecycleCallback onLifecycle = this::onLifecycle;

    LibvirtEvents(Listener listener, java.time.Clock clock) {
        this.listener = listener;
        this.clock = clock;
    }

    /**
     * Registers libvirt's default event loop implementation (once per process) and starts the daemon thread that
     * runs it. Connections opened before it do not deliver events.
     */
    static void startLoop() {
        if (!LOOP_STARTED.compareAndSet(false, true)) {
            return;
        }
        if (LibvirtNative.LIB.virEventRegisterDefaultImpl() < 0) {
            LOOP_STARTED.set(false);
            throw new IllegalStateException("cannot register libvirt's event loop: "
                    + LibvirtNative.LIB.virGetLastErrorMessage());
        }
        Thread.ofPlatform().daemon().name("libvirt-events").start(() -> {
            while (true) {
                if (LibvirtNative.LIB.virEventRunDefaultImpl() < 0) {
                    log.warn("libvirt's event loop failed: {}", LibvirtNative.LIB.virGetLastErrorMessage());
                    // never spin on a loop that keeps failing
                    java.util.concurrent.locks.LockSupport.parkNanos(LOOP_RETRY.toNanos());
                }
            }
        });
        log.info("libvirt event loop running");
    }

    /** Listens to this driver's events on {@code connect}; empty ids (and a warning) for those libvirt refuses. */
    Registration register(NativeConnect connect) {
        int[] ids = {
            register(connect, LibvirtNative.VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION, onIteration, "migration iteration"),
            register(connect, LibvirtNative.VIR_DOMAIN_EVENT_ID_JOB_COMPLETED, onJobCompleted, "job completed"),
            register(connect, LibvirtNative.VIR_DOMAIN_EVENT_ID_LIFECYCLE, onLifecycle, "lifecycle")};
        return new Registration(connect, ids);
    }

    private static int register(NativeConnect connect, int eventId, com.sun.jna.Callback callback, String what) {
        int id = LibvirtNative.LIB.virConnectDomainEventRegisterAny(connect.pointer(), null, eventId, callback, null,
                null);
        if (id < 0) {
            log.warn("cannot listen to libvirt's {} events (progress is polled only): {}", what,
                    LibvirtNative.LIB.virGetLastErrorMessage());
        }
        return id;
    }

    /** Stops listening on a connection about to close (quietly: a dead connection refuses). */
    static void deregister(Registration registration) {
        for (int id : registration.callbackIds()) {
            if (id >= 0 && LibvirtNative.LIB.virConnectDomainEventDeregisterAny(registration.connect().pointer(), id) < 0) {
                log.debug("deregistering libvirt callback {}: {}", id, LibvirtNative.LIB.virGetLastErrorMessage());
            }
        }
    }

    private void onIteration(Pointer conn, Pointer domain, int iteration, Pointer opaque) {
        try {
            listener.iteration(uuid(domain), iteration);
        } catch (RuntimeException e) {
            log.warn("handling a migration iteration event failed: {}", e.toString());
        }
    }

    private void onJobCompleted(Pointer conn, Pointer domain, Pointer params, int count, Pointer opaque) {
        try {
            listener.jobCompleted(uuid(domain), JobStats.of(3, params, count));
        } catch (RuntimeException e) {
            log.warn("handling a job completed event failed: {}", e.toString());
        }
    }

    private int onLifecycle(Pointer conn, Pointer domain, int event, int detail, Pointer opaque) {
        try {
            listener.lifecycle(uuid(domain), new Lifecycle(event, detail, clock.millis()));
        } catch (RuntimeException e) {
            log.warn("handling a lifecycle event failed: {}", e.toString());
        }
        return 0;
    }

    private static String uuid(Pointer domain) {
        byte[] buf = new byte[64];
        if (LibvirtNative.LIB.virDomainGetUUIDString(domain, buf) < 0) {
            throw new IllegalStateException("cannot read the domain's uuid: " + LibvirtNative.LIB.virGetLastErrorMessage());
        }
        int end = 0;
        while (end < buf.length && buf[end] != 0) {
            end++;
        }
        return new String(buf, 0, end, StandardCharsets.US_ASCII);
    }
}
