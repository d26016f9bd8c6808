package io.ferry.gateway.contract;

import io.ferry.gateway.app.MigrationView;
import io.ferry.messaging.readmodel.HostDirectory;
import io.ferry.schemas.Envelopes;
import io.ferry.schemas.common.InstanceSpec;
import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.host.HostedInstance;
import io.ferry.schemas.migration.DirtyRateMeasurement;
import io.ferry.schemas.migration.MigrationProgress;
import io.ferry.schemas.migration.MigrationRecord;
import java.util.List;

/**
 * The fleet every contract test sees: three hosts, servers of the {@code demo} project (the member's) and one of
 * {@code admin}, a running migration and a queued one.
 */
final class Fleet {

    static final String ACTIVE = "11111111-1111-1111-1111-000000000001";
    static final String ACTIVE_2 = "11111111-1111-1111-1111-000000000002";
    static final String SPARE = "11111111-1111-1111-1111-000000000003";
    static final String ADMINS = "11111111-1111-1111-1111-000000000004";
    static final String RUNNING = "11111111-1111-1111-1111-000000000005";
    static final String QUEUED = "11111111-1111-1111-1111-000000000006";
    static final String PAUSED = "11111111-1111-1111-1111-000000000007";
    static final String STOPPED = "11111111-1111-1111-1111-000000000008";
    static final String ACTIVE_3 = "11111111-1111-1111-1111-000000000010";
    static final String ACTIVE_4 = "11111111-1111-1111-1111-000000000011";
    static final String ACTIVE_5 = "11111111-1111-1111-1111-000000000012";
    static final String UNKNOWN = "00000000-0000-0000-0000-000000000000";
    static final String RUNNING_MIGRATION = "22222222-2222-2222-2222-000000000005";
    static final String QUEUED_MIGRATION = "22222222-2222-2222-2222-000000000006";
    static final String DONE_MIGRATION = "22222222-2222-2222-2222-000000000009";
    static final long RUNNING_ID = 7;
    static final long QUEUED_ID = 8;
    static final long DONE_ID = 3;

    private Fleet() {
    }

    static void load(HostDirectory hosts, MigrationView migrations, long now) {
        hosts.apply(host("compute-1", now, List.of(
                instance(ACTIVE, "web-1", "demo", "active", null),
                instance(ACTIVE_2, "web-2", "demo", "active", null),
                instance(RUNNING, "db-1", "demo", "active", "migrating"),
                instance(PAUSED, "paused-1", "demo", "paused", null),
                instance(STOPPED, "stopped-1", "demo", "stopped", null),
                instance(ACTIVE_3, "web-3", "demo", "active", null),
                instance(ACTIVE_4, "web-4", "demo", "active", null),
                instance(ACTIVE_5, "web-5", "demo", "active", null))));
        hosts.apply(host("compute-2", now, List.of(
                instance(SPARE, "spare-1", "demo", "active", null),
                instance(ADMINS, "ops-1", "admin", "active", null))));
        hosts.apply(host("compute-3", now, List.of(
                instance(QUEUED, "queue-1", "demo", "active", "migrating"))));
        hosts.apply(host("compute-4", now, List.of()));
        migrations.apply(record(RUNNING_MIGRATION, RUNNING_ID, RUNNING, "db-1", "running", "compute-1", "compute-2",
                now - 60_000, now - 1000));
        migrations.apply(record(QUEUED_MIGRATION, QUEUED_ID, QUEUED, "queue-1", "queued", "compute-3", null,
                now - 30_000, now - 30_000));
        migrations.apply(record(DONE_MIGRATION, DONE_ID, SPARE, "spare-1", "completed", "compute-1", "compute-2",
                now - 3_600_000, now - 3_000_000));
        migrations.apply(MigrationProgress.newBuilder()
                .setEnvelope(Envelopes.of(RUNNING_MIGRATION, null, now, "test"))
                .setMigrationUuid(RUNNING_MIGRATION).setInstanceUuid(RUNNING).setHost("compute-1")
                .setReadingTime(now).setMemoryTotalBytes(4096L << 20).setMemoryProcessedBytes(1024L << 20)
                .setMemoryRemainingBytes(3072L << 20)
                .setMeasuredDirtyRate(DirtyRateMeasurement.newBuilder().setBytesPerSec(40_000_000L)
                        .setStartedAt(now - 2000).setPeriodMs(1000).build()).build());
    }

    static HostInventory host(String name, long now, List<HostedInstance> instances) {
        return HostInventory.newBuilder()
                .setEnvelope(Envelopes.of(name, null, now, "test"))
                .setHost(name).setNode(name).setHeartbeatAt(now)
                .setVcpus(32).setVcpusUsed(8).setMemoryMb(131072).setMemoryMbUsed(16384)
                .setDiskGb(1000).setDiskGbUsed(100).setCpuModel("Skylake-Server")
                .setInstances(instances).build();
    }

    static HostedInstance instance(String uuid, String name, String project, String vmState, String taskState) {
        return HostedInstance.newBuilder().setSpec(spec(uuid, name, project))
                .setVmState(vmState).setPowerState(1).setTaskState(taskState).build();
    }

    static InstanceSpec spec(String uuid, String name, String project) {
        return InstanceSpec.newBuilder().setUuid(uuid).setName(name).setProjectId(project).setUserId(project + "-user")
                .setFlavorName("m1.small").setMemoryMb(4096).setVcpus(2).setDiskGb(20).build();
    }

    static MigrationRecord record(String uuid, long id, String instance, String name, String status, String source,
                                  String dest, long createdAt, long updatedAt) {
        return MigrationRecord.newBuilder()
                .setEnvelope(Envelopes.of(uuid, null, updatedAt, "test"))
                .setId(id).setUuid(uuid).setInstance(spec(instance, name, "demo")).setStatus(status).setSequence(1)
                .setSourceHost(source).setSourceNode(source).setDestHost(dest).setDestNode(dest)
                .setMigrationType("live-migration").setCreatedAt(createdAt).setUpdatedAt(updatedAt)
                .setUserId("demo-user").setProjectId("demo").build();
    }
}
