package io.ferry.agent.adapter.libvirt;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the libvirt driver of one host reaches its hypervisor and its peers.
 *
 * @param uri                    libvirt URI of this host's daemon ({@code qemu:///system})
 * @param hostName               the host's name in Ferry
 * @param peers                  destinations by Ferry host name, when the URI template does not fit
 * @param peerUriTemplate        libvirt URI of a destination, {@code {host}} replaced by its name
 *                               ({@code qemu+tls://{host}/system})
 * @param migrationPortMin       first port Ferry picks for the migration stream on a destination; 0 leaves the
 *                               choice to the destination's libvirtd (its {@code migration_port_min..max},
 *                               49152-49215 by default), which only hands out a port it could bind
 * @param migrationPortMax       last port of Ferry's range (inclusive); 0 with {@code migrationPortMin} 0
 * @param bandwidthMibps         stream cap when the order names none; 0 = unlimited
 * @param tls                    native TLS for the migration stream ({@code VIR_MIGRATE_TLS})
 * @param parallelConnections    streams per migration ({@code VIR_MIGRATE_PARALLEL}); 1 = one stream
 * @param progressInterval       time between two job-stats readings
 * @param virtType               domain type the CPU check compares against ({@code kvm}, or {@code qemu} for TCG)
 * @param reconnectInitial       first wait after the daemon stopped answering
 * @param reconnectMax           longest wait between two reconnection attempts
 * @param numaStrict             a destination takes a guest only if its memory fits in the free memory of one NUMA
 *                               cell (guests bound to one node, {@code <numatune><memory mode='strict'>});
 *                               false: in the cells' free memory together
 * @param dirtyRateCalc          how long QEMU measures the guest's dirty rate (calc-dirty-rate) before the stream
 *                               starts (whole seconds, 1 to 60); zero: not measured
 */
public record LibvirtSettings(String uri, String hostName, Map<String, Peer> peers, String peerUriTemplate,
                              int migrationPortMin, int migrationPortMax, long bandwidthMibps, boolean tls,
                              int parallelConnections, Duration progressInterval, String virtType,
                              Duration reconnectInitial, Duration reconnectMax, boolean numaStrict,
                              Duration dirtyRateCalc) {

    /** A destination: its libvirt URI and the address its migration stream listens on. */
    public record Peer(String uri, String migrationAddress) {
        public Peer {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(migrationAddress, "migrationAddress");
        }
    }

    public LibvirtSettings {
        Objects.requireNonNull(uri, "ferry.agent.libvirt.uri");
        Objects.requireNonNull(hostName, "ferry.agent.libvirt.host-name");
        peers = Map.copyOf(peers);
        if (!(migrationPortMin == 0 && migrationPortMax == 0)
                && (migrationPortMin <= 0 || migrationPortMax < migrationPortMin || migrationPortMax > 65535)) {
            throw new IllegalArgumentException("migration port range " + migrationPortMin + "-" + migrationPortMax
                    + " is not a range of ports");
        }
        Objects.requireNonNull(dirtyRateCalc, "dirtyRateCalc");
        if (!dirtyRateCalc.isZero() && (dirtyRateCalc.toMillis() % 1000 != 0 || dirtyRateCalc.toSeconds() < 1
                || dirtyRateCalc.toSeconds() > 60)) {
            throw new IllegalArgumentException("ferry.agent.libvirt.dirty-rate-calc is 0 or whole seconds from 1 to 60: "
                    + dirtyRateCalc);
        }
        if (parallelConnections < 1) {
            throw new IllegalArgumentException("parallel connections must be at least 1");
        }
    }

    /** Defaults for a host: the destination's libvirtd picks the port, 500 ms progress, TLS off, KVM. */
    public static LibvirtSettings of(String uri, String hostName) {
        return new LibvirtSettings(uri, hostName, Map.of(), "qemu+tls://{host}/system", 0, 0, 0, false, 1,
                Duration.ofMillis(500), "kvm", Duration.ofMillis(500), Duration.ofSeconds(30), false,
                Duration.ZERO);
    }

    public LibvirtSettings withPeers(Map<String, Peer> newPeers) {
        return new LibvirtSettings(uri, hostName, newPeers, peerUriTemplate, migrationPortMin, migrationPortMax,
                bandwidthMibps, tls, parallelConnections, progressInterval, virtType, reconnectInitial, reconnectMax, numaStrict,
                dirtyRateCalc);
    }

    public LibvirtSettings withPeerUriTemplate(String template) {
        return new LibvirtSettings(uri, hostName, peers, template, migrationPortMin, migrationPortMax,
                bandwidthMibps, tls, parallelConnections, progressInterval, virtType, reconnectInitial, reconnectMax, numaStrict,
                dirtyRateCalc);
    }

    public LibvirtSettings withMigrationPorts(int min, int max) {
        return new LibvirtSettings(uri, hostName, peers, peerUriTemplate, min, max,
                bandwidthMibps, tls, parallelConnections, progressInterval, virtType, reconnectInitial, reconnectMax, numaStrict,
                dirtyRateCalc);
    }

    public LibvirtSettings withBandwidthMibps(long mibps) {
        return new LibvirtSettings(uri, hostName, peers, peerUriTemplate, migrationPortMin, migrationPortMax,
                mibps, tls, parallelConnections, progressInterval, virtType, reconnectInitial, reconnectMax, numaStrict,
                dirtyRateCalc);
    }

    public LibvirtSettings withTls(boolean useTls) {
        return new LibvirtSettings(uri, hostName, peers, peerUriTemplate, migrationPortMin, migrationPortMax,
                bandwidthMibps, useTls, parallelConnections, progressInterval, virtType, reconnectInitial, reconnectMax, numaStrict,
                dirtyRateCalc);
    }

    public LibvirtSettings withParallelConnections(int connections) {
        return new LibvirtSettings(uri, hostName, peers, peerUriTemplate, migrationPortMin, migrationPortMax,
                bandwidthMibps, tls, connections, progressInterval, virtType, reconnectInitial, reconnectMax, numaStrict,
                dirtyRateCalc);
    }

    public LibvirtSettings withProgressInterval(Duration interval) {
        return new LibvirtSettings(uri, hostName, peers, peerUriTemplate, migrationPortMin, migrationPortMax,
                bandwidthMibps, tls, parallelConnections, interval, virtType, reconnectInitial, reconnectMax, numaStrict,
                dirtyRateCalc);
    }

    public LibvirtSettings withVirtType(String type) {
        return new LibvirtSettings(uri, hostName, peers, peerUriTemplate, migrationPortMin, migrationPortMax,
                bandwidthMibps, tls, parallelConnections, progressInterval, type, reconnectInitial, reconnectMax, numaStrict,
                dirtyRateCalc);
    }

    public LibvirtSettings withReconnect(Duration initial, Duration max) {
        return new LibvirtSettings(uri, hostName, peers, peerUriTemplate, migrationPortMin, migrationPortMax,
                bandwidthMibps, tls, parallelConnections, progressInterval, virtType, initial, max, numaStrict, dirtyRateCalc);
    }

    public LibvirtSettings withNumaStrict(boolean strict) {
        return new LibvirtSettings(uri, hostName, peers, peerUriTemplate, migrationPortMin, migrationPortMax,
                bandwidthMibps, tls, parallelConnections, progressInterval, virtType, reconnectInitial, reconnectMax,
                strict, dirtyRateCalc);
    }

    public LibvirtSettings withDirtyRateCalc(Duration period) {
        return new LibvirtSettings(uri, hostName, peers, peerUriTemplate, migrationPortMin, migrationPortMax,
                bandwidthMibps, tls, parallelConnections, progressInterval, virtType, reconnectInitial, reconnectMax,
                numaStrict, period);
    }

    /** libvirt's own default {@code migration_port_min..max} (qemu.conf), where it picks when Ferry does not. */
    public static final int LIBVIRT_PORT_MIN = 49152;
    public static final int LIBVIRT_PORT_MAX = 49215;

    /** The ports an incoming migration stream may use here: Ferry's range, else libvirt's default one. */
    int incomingPortMin() {
        return choosesPorts() ? migrationPortMin : LIBVIRT_PORT_MIN;
    }

    int incomingPortMax() {
        return choosesPorts() ? migrationPortMax : LIBVIRT_PORT_MAX;
    }

    /** Whether Ferry picks the stream's port (else the destination's libvirtd does). */
    public boolean choosesPorts() {
        return migrationPortMin > 0;
    }

    int portCount() {
        return migrationPortMax - migrationPortMin + 1;
    }

    /** The destination named {@code host}: configured explicitly, else from the URI template and its name. */
    public Peer peer(String host) {
        Peer peer = peers.get(host);
        return peer != null ? peer : new Peer(peerUriTemplate.replace("{host}", host), host);
    }
}
