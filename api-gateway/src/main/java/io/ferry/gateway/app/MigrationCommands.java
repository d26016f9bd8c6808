package io.ferry.gateway.app;

import io.ferry.messaging.MessagePublisher;
import io.ferry.messaging.readmodel.HostDirectory;
import io.ferry.schemas.Envelopes;
import io.ferry.schemas.Topics;
import io.ferry.schemas.migration.AbortMigration;
import io.ferry.schemas.migration.BlockMigration;
import io.ferry.schemas.migration.ForceCompleteMigration;
import io.ferry.schemas.migration.LiveMigrate;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * Validates what Nova validates synchronously, then publishes the command. A refused request publishes nothing.
 */
public class MigrationCommands {

    /** The answer to a request. */
    public sealed interface Result {
        record Accepted(String migrationUuid) implements Result {
        }

        record NotFound(String message) implements Result {
        }

        record Conflict(String message) implements Result {
        }

        record Invalid(String message) implements Result {
        }
    }

    /** An os-migrateLive request after parsing. */
    public record LiveMigrateRequest(String instanceUuid, String host, BlockMigration blockMigration, boolean force,
                                     String userId, String projectId, String requestId) {
    }

    private final HostDirectory hosts;
    private final MigrationView migrations;
    private final MessagePublisher publisher;
    private final Clock clock;

    public MigrationCommands(HostDirectory hosts, MigrationView migrations, MessagePublisher publisher, Clock clock) {
        this.hosts = hosts;
        this.migrations = migrations;
        this.publisher = publisher;
        this.clock = clock;
    }

    public Result liveMigrate(LiveMigrateRequest request) {
        var placement = hosts.placement(request.instanceUuid());
        if (placement.isEmpty()) {
            return new Result.NotFound("Instance " + request.instanceUuid() + " could not be found.");
        }
        String vmState = placement.get().instance().getVmState();
        Optional<String> inProgress = migrations.inProgressFor(request.instanceUuid());
        if (inProgress.isPresent() || placement.get().instance().getTaskState() != null) {
            return new Result.Conflict("Cannot 'os-migrateLive' instance " + request.instanceUuid()
                    + " while it is in task_state migrating");
        }
        if (!"active".equals(vmState) && !"paused".equals(vmState)) {
            return new Result.Conflict("Cannot 'os-migrateLive' instance " + request.instanceUuid()
                    + " while it is in vm_state " + vmState);
        }
        if (request.host() != null) {
            if (hosts.host(request.host()).isEmpty()) {
                return new Result.Invalid("Compute host " + request.host() + " could not be found.");
            }
            if (request.host().equals(placement.get().host())) {
                return new Result.Invalid("The target host can't be the same one.");
            }
        }
        String migrationUuid = UUID.randomUUID().toString();
        if (!migrations.markRequested(request.instanceUuid(), migrationUuid)) {
            return new Result.Conflict("Cannot 'os-migrateLive' instance " + request.instanceUuid()
                    + " while it is in task_state migrating");
        }
        try {
            publisher.sendAndWait(Topics.MIGRATION_COMMANDS, request.instanceUuid(), LiveMigrate.newBuilder()
                    .setEnvelope(Envelopes.of(migrationUuid, null, clock.millis(), "api-gateway"))
                    .setMigrationUuid(migrationUuid).setInstanceUuid(request.instanceUuid())
                    .setTargetHost(request.host()).setBlockMigration(request.blockMigration())
                    .setForce(request.force()).setUserId(request.userId()).setProjectId(request.projectId())
                    .setRequestId(request.requestId()).build());
        } catch (MessagePublisher.PublishFailedException e) {
            migrations.forgetRequest(request.instanceUuid(), migrationUuid);
            throw e;
        }
        return new Result.Accepted(migrationUuid);
    }

    public void abort(String instanceUuid, String migrationUuid) {
        publisher.sendAndWait(Topics.MIGRATION_COMMANDS, instanceUuid, AbortMigration.newBuilder()
                .setEnvelope(Envelopes.of(migrationUuid, null, clock.millis(), "api-gateway"))
                .setMigrationUuid(migrationUuid).setInstanceUuid(instanceUuid).build());
    }

    public void forceComplete(String instanceUuid, String migrationUuid) {
        publisher.sendAndWait(Topics.MIGRATION_COMMANDS, instanceUuid, ForceCompleteMigration.newBuilder()
                .setEnvelope(Envelopes.of(migrationUuid, null, clock.millis(), "api-gateway"))
                .setMigrationUuid(migrationUuid).setInstanceUuid(instanceUuid).build());
    }
}
