package io.ferry.gateway.contract;

import io.ferry.gateway.app.DrainView;
import io.ferry.schemas.Envelopes;
import io.ferry.schemas.migration.DrainRecord;
import io.ferry.schemas.migration.DrainedInstance;
import java.util.List;

/** Drain records as the conductor writes them on {@code ferry.drains}, for the contract tests' read model. */
final class Drains {

    static final String SRIOV = "11111111-1111-1111-1111-000000000099";

    private Drains() {
    }

    /** A drain of {@code host} in {@code status}: web-1 migrating as the fleet's running migration, nfv-1 left out. */
    static DrainRecord record(String drainId, String host, String status, boolean dryRun, long sequence, long now) {
        return DrainRecord.newBuilder()
                .setEnvelope(Envelopes.of(drainId, null, now, "test"))
                .setDrainId(drainId).setHost(host).setReason("kernel upgrade").setStatus(status).setDryRun(dryRun)
                .setSequence(sequence).setNicBandwidthBytesPerSec(1_250_000_000L).setStreamBandwidthBytesPerSec(416_600_000L)
                .setMaxStreams(2)
                .setInstances(List.of(
                        DrainedInstance.newBuilder().setInstanceUuid(Fleet.RUNNING).setName("db-1").setMemoryMb(4096)
                                .setOrder(0).setPredictedDurationMs(4000).setMigrationUuid(dryRun ? null
                                        : Fleet.RUNNING_MIGRATION).setStatus(dryRun ? "planned" : "running")
                                .build(),
                        DrainedInstance.newBuilder().setInstanceUuid(Fleet.ACTIVE).setName("web-1").setMemoryMb(4096)
                                .setOrder(1).setPredictedStartMs(4000).setPredictedDurationMs(3500).build(),
                        DrainedInstance.newBuilder().setInstanceUuid(SRIOV).setName("nfv-1").setMemoryMb(4096)
                                .setOrder(-1).setMigratable(false).setStatus("skipped")
                                .setReason("not live-migratable: PCI devices 0000:3b:00.1 (SR-IOV VF); "
                                        + "cold migrate instead").build()))
                .setTotal(2).setDone(0).setLowerBoundMs(6872).setPredictedTotalMs(7500)
                .setPredictedRemainingMs(7500).setCreatedAt(now - 2000).setUpdatedAt(now)
                .setEndedAt(DrainView.ENDED.contains(status) ? now : 0).build();
    }
}
