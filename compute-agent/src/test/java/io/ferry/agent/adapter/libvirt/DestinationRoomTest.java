package io.ferry.agent.adapter.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** A destination's NUMA-cell room and migration-port checks, without a hypervisor. */
class DestinationRoomTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void aStrictGuestMustFitInOneCellAndIsRefusedNamingEachCellsFreeMemory() {
        // given two cells with 3 GiB free each
        long[] cells = {3072 * MIB, 3072 * MIB};

        // when / then: 2 GiB fits one cell; 4 GiB fits only the two together, which strict placement forbids
        assertThat(DestinationRoom.numaRefusal("host-b", "vm-1", 2048 * MIB, cells, true)).isEmpty();
        assertThat(DestinationRoom.numaRefusal("host-b", "vm-1", 4096 * MIB, cells, true))
                .hasValueSatisfying(reason -> assertThat(reason)
                        .isEqualTo("no NUMA cell of host-b has room for instance vm-1: it needs 4096 MiB in one cell"
                                + " (strict NUMA placement), the largest has 3072 MiB free (cell 0: 3072 MiB, cell 1:"
                                + " 3072 MiB)"));
    }

    @Test
    void anUnboundGuestMayUseTheCellsTogether() {
        long[] cells = {3072 * MIB, 1024 * MIB};

        assertThat(DestinationRoom.numaRefusal("host-b", "vm-1", 4096 * MIB, cells, false)).isEmpty();
        assertThat(DestinationRoom.numaRefusal("host-b", "vm-1", 4097 * MIB, cells, false))
                .hasValueSatisfying(reason -> assertThat(reason)
                        .startsWith("the NUMA cells of host-b have no room for instance vm-1: it needs 4097 MiB,"
                                + " the cells have 4096 MiB free"));
    }

    @Test
    void aHostWithoutNumaCellsHasNothingToCheck() {
        assertThat(DestinationRoom.numaRefusal("host-b", "vm-1", 1L << 50, new long[0], true)).isEmpty();
    }

    @Test
    void aRangeWithAFreePortPassesAndOneWhosePortsAreAllTakenIsRefusedWithTheRange() throws IOException {
        // given three consecutive ports, all bound by someone else
        List<ServerSocket> held = new ArrayList<>();
        try {
            int first = holdConsecutive(held, 3);
            int last = first + 2;

            // when / then
            assertThat(DestinationRoom.freePort(first, last)).isEqualTo(OptionalInt.empty());
            assertThat(DestinationRoom.portRefusal("host-b", first, last)).hasValue("no free migration port on host-b:"
                    + " ports " + first + "-" + last + " are all in use, so the incoming stream could not listen");

            // when the middle one is released, then it is the one found
            held.get(1).close();
            assertThat(DestinationRoom.freePort(first, last)).isEqualTo(OptionalInt.of(first + 1));
            assertThat(DestinationRoom.portRefusal("host-b", first, last)).isEmpty();
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
    }

    /** Binds {@code count} consecutive ports (on every address); returns the first. */
    private static int holdConsecutive(List<ServerSocket> held, int count) throws IOException {
        for (int base = 40000; base < 60000; base += count) {
            List<ServerSocket> attempt = new ArrayList<>();
            try {
                for (int port = base; port < base + count; port++) {
                    ServerSocket socket = new ServerSocket();
                    attempt.add(socket);
                    socket.bind(new InetSocketAddress(port));
                }
                held.addAll(attempt);
                return base;
            } catch (IOException e) {
                for (ServerSocket socket : attempt) {
                    socket.close();
                }
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports");
    }
}
