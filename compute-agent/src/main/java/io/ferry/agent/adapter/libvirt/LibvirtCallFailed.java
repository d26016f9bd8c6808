package io.ferry.agent.adapter.libvirt;

/** A libvirt call answered an error; the message is libvirt's own. */
final class LibvirtCallFailed extends RuntimeException {

    LibvirtCallFailed(String message) {
        super(message == null ? "libvirt call failed without a message" : message);
    }
}
