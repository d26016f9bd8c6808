package io.ferry.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.gateway.app.ReadModelCatchUp.Partition;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadModelCatchUpTest {

    private static final Partition HOSTS_0 = new Partition("ferry.host.events", 0);
    private static final Partition HOSTS_1 = new Partition("ferry.host.events", 1);
    private static final Partition MIGRATIONS_0 = new Partition("ferry.migrations", 0);

    private final ReadModelCatchUp catchUp = new ReadModelCatchUp();

    @Test
    void isNotCaughtUpBeforeTheBrokerSaidWhereThePartitionsEnd() {
        // given records read before the end offsets are known
        catchUp.handled(HOSTS_0, 41);

        // then
        assertThat(catchUp.isCaughtUp()).isFalse();
        assertThat(catchUp.progress()).contains("waiting for the broker");
    }

    @Test
    void isCaughtUpOnceEveryPartitionIsReadToWhereItEndedAtStart() {
        // given
        catchUp.target(Map.of(HOSTS_0, 42L, HOSTS_1, 0L, MIGRATIONS_0, 7L));

        // when the host events are read to their end but not the migrations
        catchUp.handled(HOSTS_0, 40);
        catchUp.handled(HOSTS_0, 41);
        catchUp.handled(MIGRATIONS_0, 5);

        // then
        assertThat(catchUp.isCaughtUp()).isFalse();
        assertThat(catchUp.progress()).isEqualTo("2 of 3 partitions read to where they ended at start");

        // when the last migration record (offset 6, the end offset being 7) is read
        catchUp.handled(MIGRATIONS_0, 6);

        // then
        assertThat(catchUp.isCaughtUp()).isTrue();
    }

    @Test
    void countsRecordsReadBeforeTheEndOffsetsArrived() {
        // given the replay ran ahead of the end-offset lookup
        catchUp.handled(HOSTS_0, 99);
        catchUp.handled(MIGRATIONS_0, 3);

        // when
        catchUp.target(Map.of(HOSTS_0, 50L, MIGRATIONS_0, 4L));

        // then
        assertThat(catchUp.isCaughtUp()).isTrue();
    }

    @Test
    void anOlderOffsetReadLaterDoesNotMoveAPartitionBack() {
        catchUp.target(Map.of(HOSTS_0, 10L, MIGRATIONS_0, 10L));
        catchUp.handled(HOSTS_0, 9);
        catchUp.handled(HOSTS_0, 3);

        assertThat(catchUp.progress()).startsWith("1 of 2");
    }

    @Test
    void staysCaughtUpAndKeepsTheFirstTargets() {
        // given
        catchUp.target(Map.of(HOSTS_0, 1L));
        catchUp.handled(HOSTS_0, 0);

        // when a second lookup would ask for more
        catchUp.target(Map.of(HOSTS_0, 1000L));

        // then
        assertThat(catchUp.isCaughtUp()).isTrue();
    }

    @Test
    void aGatewayWithoutKafkaHasNothingToCatchUp() {
        assertThat(ReadModelCatchUp.done().isCaughtUp()).isTrue();
    }
}
