package io.ferry.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.schemas.Envelopes;
import io.ferry.schemas.migration.DrainRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DrainViewTest {

    private final IdentityServiceTest.MovableClock clock = new IdentityServiceTest.MovableClock();
    private final DrainView drains = new DrainView(clock, Duration.ofSeconds(60));

    private static DrainRecord record(String id, String host, String status, long sequence, boolean dryRun) {
        return DrainRecord.newBuilder().setEnvelope(Envelopes.of(id, null, 1000, "test")).setDrainId(id)
                .setHost(host).setStatus(status).setSequence(sequence).setDryRun(dryRun).setInstances(List.of())
                .setCreatedAt(1000 + sequence).setUpdatedAt(1000 + sequence).build();
    }

    @Test
    void aRequestedDrainHoldsItsHostUntilItsRecordSaysItEnded() {
        // given
        assertThat(drains.markRequested("compute-1", "d1")).isTrue();

        // then a second request is refused, and the drain is active before any record
        assertThat(drains.markRequested("compute-1", "d2")).isFalse();
        assertThat(drains.activeOn("compute-1")).contains("d1");
        assertThat(drains.requested("d1")).contains(new DrainView.Requested("d1", "compute-1"));

        // when the conductor records it running, then completed
        drains.apply(record("d1", "compute-1", "running", 1, false));
        assertThat(drains.activeOn("compute-1")).contains("d1");
        drains.apply(record("d1", "compute-1", "completed", 5, false));

        // then
        assertThat(drains.activeOn("compute-1")).isEmpty();
        assertThat(drains.requested("d1")).isEmpty();
    }

    @Test
    void aRequestNoRecordAnswersStopsHoldingItsHostAfterTheRequestTimeout() {
        // given a drain requested while no conductor runs
        assertThat(drains.markRequested("compute-1", "d1")).isTrue();
        clock.now = clock.now.plusSeconds(59);
        assertThat(drains.markRequested("compute-1", "d2")).isFalse();
        assertThat(drains.activeOn("compute-1")).contains("d1");

        // when no record of it appeared within the timeout
        clock.now = clock.now.plusSeconds(1);

        // then the host is free to be drained again, and the new request holds it in turn
        assertThat(drains.activeOn("compute-1")).isEmpty();
        assertThat(drains.requested("d1")).isEmpty();
        assertThat(drains.markRequested("compute-1", "d2")).isTrue();
        assertThat(drains.activeOn("compute-1")).contains("d2");
        assertThat(drains.markRequested("compute-1", "d3")).isFalse();

        // when the first drain, only delayed, is recorded after all (the conductor refuses the second)
        drains.apply(record("d1", "compute-1", "running", 1, false));
        drains.apply(record("d2", "compute-1", "failed", 1, false));

        // then the host is held by the drain that runs
        assertThat(drains.activeOn("compute-1")).contains("d1");
        assertThat(drains.requested("d2")).isEmpty();
    }

    @Test
    void refusesANonPositiveRequestTimeout() {
        assertThatThrownBy(() -> new DrainView(clock, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("request-timeout");
    }

    @Test
    void keepsTheNewestSequenceAndIgnoresDryRunsForActivity() {
        drains.apply(record("d1", "compute-2", "completed", 5, false));
        drains.apply(record("d1", "compute-2", "running", 2, false));
        drains.apply(record("p1", "compute-2", "planned", 1, true));

        assertThat(drains.byId("d1")).hasValueSatisfying(d -> assertThat(d.getStatus()).isEqualTo("completed"));
        assertThat(drains.activeOn("compute-2")).isEmpty();
        assertThat(drains.all()).extracting(DrainRecord::getDrainId).containsExactly("d1", "p1");
    }

    @Test
    void aWaiterGetsTheFirstRecordOrNothingInTime() throws Exception {
        // given
        drains.expect("p1");
        drains.expect("p2");

        // when the record of p1 arrives while someone waits
        CompletableFuture<?> conductor = CompletableFuture.runAsync(() ->
                drains.apply(record("p1", "compute-3", "planned", 1, true)));

        // then
        assertThat(drains.await("p1", Duration.ofSeconds(10))).hasValueSatisfying(d ->
                assertThat(d.getStatus()).isEqualTo("planned"));
        conductor.join();
        assertThat(drains.await("p2", Duration.ofMillis(50))).isEmpty();
    }
}
