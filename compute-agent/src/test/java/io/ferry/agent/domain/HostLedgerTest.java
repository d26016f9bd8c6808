package io.ferry.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.agent.domain.HostLedger.Admission;
import org.junit.jupiter.api.Test;

class HostLedgerTest {

    private static HostLedger aHostWith(long memoryMb, long reservedMb) {
        return new HostLedger(new HostCapacity(16, memoryMb, reservedMb, 500, "Skylake", 10000));
    }

    private static Guest aGuest(String name, long memoryMb) {
        return new Guest("uuid-" + name, name, "p", "u", "m1", memoryMb, 2, 20, "idle");
    }

    @Test
    void refusesAGuestThatDoesNotFitInTheRealFreeMemory() {
        // given 8 GiB, 512 MB reserved, 6 GiB used
        HostLedger host = aHostWith(8192, 512);
        host.boot(aGuest("big", 6144));

        // when
        Admission admission = host.admit(aGuest("incoming", 2048));

        // then 1536 MB are free, not 2048
        assertThat(admission).isInstanceOfSatisfying(Admission.Refused.class,
                refused -> assertThat(refused.reason()).contains("needs 2048 MB").contains("1536 MB free"));
    }

    @Test
    void countsAnIncomingReservationSoTheSameMemoryIsNeverPromisedTwice() {
        // given
        HostLedger host = aHostWith(8192, 0);
        assertThat(host.reserveIncoming(aGuest("first", 6144))).isInstanceOf(Admission.Accepted.class);

        // when a second guest asks for memory the first one reserved
        Admission second = host.reserveIncoming(aGuest("second", 4096));

        // then
        assertThat(second).isInstanceOf(Admission.Refused.class);
        assertThat(host.memoryMbUsed()).isEqualTo(6144);
        assertThat(host.migrationsIn()).isEqualTo(1);
    }

    @Test
    void reservingTheSameGuestTwiceIsIdempotent() {
        HostLedger host = aHostWith(8192, 0);
        Guest guest = aGuest("g", 4096);

        host.reserveIncoming(guest);
        host.reserveIncoming(guest);

        assertThat(host.memoryMbUsed()).isEqualTo(4096);
    }

    @Test
    void activatingAnIncomingGuestTurnsTheReservationIntoARunningGuest() {
        // given
        HostLedger host = aHostWith(8192, 0);
        Guest guest = aGuest("g", 4096);
        host.reserveIncoming(guest);

        // when
        host.activateIncoming(guest);

        // then usage is unchanged, the guest runs here, nothing is incoming
        assertThat(host.memoryMbUsed()).isEqualTo(4096);
        assertThat(host.running(guest.uuid())).contains(guest);
        assertThat(host.isIncoming(guest.uuid())).isFalse();
    }

    @Test
    void discardingAnIncomingGuestReleasesItsMemory() {
        HostLedger host = aHostWith(8192, 0);
        Guest guest = aGuest("g", 4096);
        host.reserveIncoming(guest);

        host.discardIncoming(guest.uuid());

        assertThat(host.memoryMbUsed()).isZero();
        assertThat(host.admit(aGuest("other", 8192))).isInstanceOf(Admission.Accepted.class);
    }

    @Test
    void removingAGuestThatLeftFreesItsMemoryAndItsMigrationMark() {
        HostLedger host = aHostWith(8192, 0);
        Guest guest = aGuest("g", 2048);
        host.boot(guest);
        host.markMigratingOut(guest.uuid(), "m-1");
        assertThat(host.migrationOf(guest.uuid())).contains("m-1");

        host.remove(guest.uuid());

        assertThat(host.memoryMbUsed()).isZero();
        assertThat(host.migrationOf(guest.uuid())).isEmpty();
        assertThat(host.migrationsOut()).isZero();
    }

    @Test
    void refusesAGuestThatAlreadyRunsHere() {
        HostLedger host = aHostWith(8192, 0);
        Guest guest = aGuest("g", 1024);
        host.boot(guest);

        assertThat(host.admit(guest)).isInstanceOf(Admission.Refused.class);
    }

    @Test
    void holdsTheRoomTheHypervisorKeepsForALostGuestEvenBeyondTheFreeMemoryOnceAndNeverForAGuestItRuns() {
        // given a full host
        HostLedger host = aHostWith(8192, 0);
        host.boot(aGuest("resident", 6144));

        // when its hypervisor holds a lost 4 GiB guest (twice: a second boot), and reports a running one as held
        host.hold(aGuest("lost", 4096));
        host.hold(aGuest("lost", 4096));
        host.hold(aGuest("resident", 6144));

        // then the lost guest's room counts once, the running guest is not reserved as well
        assertThat(host.memoryMbUsed()).isEqualTo(10240);
        assertThat(host.migrationsIn()).isEqualTo(1);
        assertThat(host.isIncoming("uuid-lost")).isTrue();
        assertThat(host.isIncoming("uuid-resident")).isFalse();
    }
}
