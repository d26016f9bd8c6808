package io.ferry.agent.adapter.libvirt;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.StringJoiner;

/**
 * Two of a destination's checks of an incoming guest, beside free memory and the CPU: room in its NUMA cells, and a
 * free port for the migration stream.
 */
final class DestinationRoom {

    private static final long MIB = 1024 * 1024;

    private DestinationRoom() {
    }

    /**
     * Whether the guest's memory fits the host's NUMA cells (free memory of each, in bytes, as
     * {@code virNodeGetCellsFreeMemory} reports it). Strict: in one cell, as a guest bound to one node with a strict
     * numatune (Nova's single-node NUMA guests) must; otherwise in the cells together, as libvirt places an unbound
     * guest. Empty when it fits, or when the host reports no cells.
     */
    static Optional<String> numaRefusal(String host, String instanceUuid, long guestBytes, long[] cellFreeBytes,
                                        boolean strict) {
        if (cellFreeBytes.length == 0) {
            return Optional.empty();
        }
        long largest = 0;
        long together = 0;
        StringJoiner cells = new StringJoiner(", ");
        for (int cell = 0; cell < cellFreeBytes.length; cell++) {
            largest = Math.max(largest, cellFreeBytes[cell]);
            together += cellFreeBytes[cell];
            cells.add("cell " + cell + ": " + cellFreeBytes[cell] / MIB + " MiB");
        }
        if (strict && guestBytes > largest) {
            return Optional.of("no NUMA cell of " + host + " has room for instance " + instanceUuid + ": it needs "
                    + guestBytes / MIB + " MiB in one cell (strict NUMA placement), the largest has "
                    + largest / MIB + " MiB free (" + cells + ")");
        }
        if (!strict && guestBytes > together) {
            return Optional.of("the NUMA cells of " + host + " have no room for instance " + instanceUuid
                    + ": it needs " + guestBytes / MIB + " MiB, the cells have " + together / MIB + " MiB free ("
                    + cells + ")");
        }
        return Optional.empty();
    }

    /**
     * The first port of {@code min..max} this host can bind now on every address (as QEMU will bind it for the
     * incoming stream), or empty when all are in use. Each probe holds its port only while it binds.
     */
    static OptionalInt freePort(int min, int max) {
        for (int port = min; port <= max; port++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(port));
                return OptionalInt.of(port);
            } catch (IOException e) {
                // in use: try the next one
            }
        }
        return OptionalInt.empty();
    }

    /** Why no migration stream can come in on {@code host}: every port of its range is in use. */
    static Optional<String> portRefusal(String host, int min, int max) {
        return freePort(min, max).isPresent() ? Optional.empty()
                : Optional.of("no free migration port on " + host + ": ports " + min + "-" + max
                + " are all in use, so the incoming stream could not listen");
    }
}
