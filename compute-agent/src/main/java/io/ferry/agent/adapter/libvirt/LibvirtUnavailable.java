package io.ferry.agent.adapter.libvirt;

/** The daemon does not answer now (transient: the connection is retried with backoff). */
public final class LibvirtUnavailable extends RuntimeException {

    public LibvirtUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
