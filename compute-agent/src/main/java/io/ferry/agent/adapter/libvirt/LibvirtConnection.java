package io.ferry.agent.adapter.libvirt;

import java.time.Clock;
import java.time.Duration;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.jna.Libvirt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shared connection to a libvirt daemon (libvirt connections are thread-safe). When the daemon stops answering
 * the connection is dropped and reopened on a later call, no sooner than the backoff allows; meanwhile every call
 * fails fast with {@link LibvirtUnavailable}. Each connection it opens is handed to the {@link Hook} (the driver's
 * event registrations), and handed back before it is closed.
 */
final class LibvirtConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LibvirtConnection.class);

    /** Held strongly: libvirt keeps a pointer to it. */
    private static final Libvirt.VirErrorCallback SILENT = (userData, error) -> { };

    static {
        silenceLibvirtStderr();
        LibvirtEvents.startLoop();
    }

    /** What to do with each connection opened (listen to its events) and before it is closed. */
    interface Hook {
        Hook NONE = new Hook() {
            @Override
            public void opened(NativeConnect connect) {
            }

            @Override
            public void closing(NativeConnect connect) {
            }
        };

        void opened(NativeConnect connect);

        void closing(NativeConnect connect);
    }

    private final String uri;
    private final Clock clock;
    private final Backoff backoff;
    private final Hook hook;
    private NativeConnect connect;

    LibvirtConnection(String uri, Clock clock, Duration reconnectInitial, Duration reconnectMax) {
        this(uri, clock, reconnectInitial, reconnectMax, Hook.NONE);
    }

    LibvirtConnection(String uri, Clock clock, Duration reconnectInitial, Duration reconnectMax, Hook hook) {
        this.uri = uri;
        this.clock = clock;
        this.backoff = new Backoff(reconnectInitial, reconnectMax);
        this.hook = hook;
    }

    /** libvirt prints every error to stderr unless an error callback is set; Ferry logs them itself. */
    static void silenceLibvirtStderr() {
        try {
            Connect.setErrorCallback(SILENT);
        } catch (LibvirtException e) {
            throw new IllegalStateException("cannot install libvirt's error callback", e);
        }
    }

    String uri() {
        return uri;
    }

    /** The open connection, reopened when it was lost and the backoff allows. */
    synchronized NativeConnect get() {
        if (connect != null) {
            if (alive(connect)) {
                return connect;
            }
            log.warn("libvirt at {} stopped answering; reconnecting", uri);
            closeQuietly(connect);
            connect = null;
        }
        if (!backoff.mayTry(clock.instant())) {
            throw new LibvirtUnavailable("libvirt at " + uri + " is unreachable; next attempt at "
                    + backoff.nextAttempt(), null);
        }
        try {
            connect = new NativeConnect(uri);
            hook.opened(connect);
            if (backoff.failures() > 0) {
                log.info("libvirt at {} answers again after {} failed attempts", uri, backoff.failures());
            }
            backoff.succeeded();
            return connect;
        } catch (LibvirtException e) {
            Duration wait = backoff.failed(clock.instant());
            log.warn("cannot connect to libvirt at {}: {} (next attempt in {} ms)", uri, e.getMessage(),
                    wait.toMillis());
            throw new LibvirtUnavailable("cannot connect to libvirt at " + uri + ": " + e.getMessage(), e);
        }
    }

    /** Whether the daemon answers now, asked with a real round trip (reconnecting if the backoff allows). */
    boolean reachable() {
        return problem().isEmpty();
    }

    /** Why the daemon does not answer now, asked with a real round trip (reconnecting if the backoff allows). */
    java.util.Optional<String> problem() {
        try {
            checkAnswers(get());
            return java.util.Optional.empty();
        } catch (LibvirtUnavailable e) {
            return java.util.Optional.of(e.getMessage());
        }
    }

    /**
     * A call on {@code connect} failed: if the daemon no longer answers, drop the connection so the next call
     * reconnects (with no event loop running, libvirt notices a dead socket only when it is used).
     */
    void checkAnswers(NativeConnect connect) {
        try {
            connect.getLibVersion();
        } catch (LibvirtException e) {
            synchronized (this) {
                if (this.connect == connect) {
                    log.warn("libvirt at {} stopped answering ({}); reconnecting", uri, e.getMessage());
                    closeQuietly(connect);
                    this.connect = null;
                    backoff.failed(clock.instant());
                }
            }
            throw new LibvirtUnavailable("libvirt at " + uri + " does not answer: " + e.getMessage(), e);
        }
    }

    private static boolean alive(NativeConnect connect) {
        try {
            return connect.isAlive();
        } catch (LibvirtException e) {
            return false;
        }
    }

    private void closeQuietly(NativeConnect connect) {
        hook.closing(connect);
        try {
            connect.close();
        } catch (LibvirtException e) {
            log.debug("closing a dead libvirt connection: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (connect != null) {
            closeQuietly(connect);
            connect = null;
        }
    }
}
