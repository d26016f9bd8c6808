package io.ferry.gateway.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.schemas.Topics;
import io.ferry.schemas.migration.BlockMigration;
import io.ferry.schemas.migration.LiveMigrate;
import org.junit.jupiter.api.Test;

class LiveMigrateContractTest extends ContractTest {

    private Answer migrate(String server, String token, String version, String args) {
        return post("/v2.1/servers/" + server + "/action", token, version, "{\"os-migrateLive\": " + args + "}");
    }

    private LiveMigrate publishedCommand() {
        assertThat(published.sent()).hasSize(1);
        assertThat(published.sent().getFirst().topic()).isEqualTo(Topics.MIGRATION_COMMANDS);
        return (LiveMigrate) published.sent().getFirst().message();
    }

    @Test
    void acceptsBlockMigrationAutoFrom225() {
        Answer answer = migrate(Fleet.ACTIVE, adminToken(), "2.25", "{\"host\": null, \"block_migration\": \"auto\"}");

        assertThat(answer.status()).isEqualTo(202);
        LiveMigrate command = publishedCommand();
        assertThat(command.getInstanceUuid()).isEqualTo(Fleet.ACTIVE);
        assertThat(command.getBlockMigration()).isEqualTo(BlockMigration.AUTO);
        assertThat(command.getTargetHost()).isNull();
        assertThat(command.getProjectId()).isEqualTo("demo");
    }

    @Test
    void refusesBlockMigrationAutoBefore225() {
        Answer answer = migrate(Fleet.ACTIVE_3, adminToken(), "2.24",
                "{\"host\": null, \"block_migration\": \"auto\", \"disk_over_commit\": false}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.fault("badRequest")).contains("block_migration");
        nothingPublished();
    }

    @Test
    void needsDiskOverCommitBefore225AndRefusesItFrom225() {
        Answer missing = migrate(Fleet.ACTIVE_3, adminToken(), "2.1", "{\"host\": null, \"block_migration\": false}");
        Answer extra = migrate(Fleet.ACTIVE_3, adminToken(), "2.25",
                "{\"host\": null, \"block_migration\": false, \"disk_over_commit\": false}");

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.fault("badRequest")).contains("'disk_over_commit' is a required property");
        assertThat(extra.status()).isEqualTo(400);
        assertThat(extra.fault("badRequest")).contains("Additional properties are not allowed ('disk_over_commit'");
        nothingPublished();
    }

    @Test
    void acceptsTheV21FormOnAPausedServer() {
        Answer answer = migrate(Fleet.PAUSED, adminToken(), "2.1",
                "{\"host\": \"compute-2\", \"block_migration\": \"True\", \"disk_over_commit\": \"0\"}");

        assertThat(answer.status()).isEqualTo(202);
        LiveMigrate command = publishedCommand();
        assertThat(command.getBlockMigration()).isEqualTo(BlockMigration.YES);
        assertThat(command.getTargetHost()).isEqualTo("compute-2");
    }

    @Test
    void forwardsForceFrom230() {
        Answer answer = migrate(Fleet.ACTIVE_2, adminToken(), "2.30",
                "{\"host\": \"compute-2\", \"block_migration\": \"auto\", \"force\": true}");

        assertThat(answer.status()).isEqualTo(202);
        assertThat(publishedCommand().getForce()).isTrue();
    }

    @Test
    void refusesForceWithoutAHostAndForceFrom268() {
        Answer noHost = migrate(Fleet.ACTIVE_3, adminToken(), "2.67",
                "{\"host\": null, \"block_migration\": \"auto\", \"force\": true}");
        Answer gone = migrate(Fleet.ACTIVE_3, adminToken(), "2.68",
                "{\"host\": \"compute-2\", \"block_migration\": \"auto\", \"force\": true}");
        Answer early = migrate(Fleet.ACTIVE_3, adminToken(), "2.29",
                "{\"host\": \"compute-2\", \"block_migration\": \"auto\", \"force\": true}");

        assertThat(noHost.status()).isEqualTo(400);
        assertThat(noHost.fault("badRequest")).isEqualTo("Can't force to a non-provided destination");
        assertThat(gone.status()).isEqualTo(400);
        assertThat(early.status()).isEqualTo(400);
        nothingPublished();
    }

    @Test
    void forbidsAMember() {
        Answer answer = migrate(Fleet.ACTIVE_3, memberToken(), "2.30", "{\"host\": null, \"block_migration\": \"auto\"}");

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.fault("forbidden"))
                .isEqualTo("Policy doesn't allow os_compute_api:os-migrate-server:migrate_live to be performed.");
        nothingPublished();
    }

    @Test
    void answersAnUnknownServerWithNotFound() {
        Answer answer = migrate(Fleet.UNKNOWN, adminToken(), "2.30", "{\"host\": null, \"block_migration\": \"auto\"}");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.fault("itemNotFound")).isEqualTo("Instance " + Fleet.UNKNOWN + " could not be found.");
        nothingPublished();
    }

    @Test
    void answersMalformedJsonWrongTypesAndUnknownKeysWithBadRequest() {
        Answer malformed = post("/v2.1/servers/" + Fleet.ACTIVE_3 + "/action", adminToken(), "2.30",
                "{\"os-migrateLive\": {");
        Answer unknown = migrate(Fleet.ACTIVE_3, adminToken(), "2.30",
                "{\"host\": null, \"block_migration\": \"auto\", \"bogus\": 1}");
        Answer wrongType = migrate(Fleet.ACTIVE_3, adminToken(), "2.30", "{\"host\": 42, \"block_migration\": \"auto\"}");
        Answer notAnObject = migrate(Fleet.ACTIVE_3, adminToken(), "2.30", "[]");
        Answer noSuchAction = post("/v2.1/servers/" + Fleet.ACTIVE_3 + "/action", adminToken(), "2.30",
                "{\"os-reboot\": {}}");

        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.fault("badRequest")).isEqualTo("Malformed request body");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.fault("badRequest")).contains("('bogus' was unexpected)");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(notAnObject.status()).isEqualTo(400);
        assertThat(noSuchAction.fault("badRequest")).isEqualTo("There is no such action: os-reboot");
        nothingPublished();
    }

    @Test
    void refusesAServerAlreadyMigratingWithConflict() {
        Answer answer = migrate(Fleet.RUNNING, adminToken(), "2.30", "{\"host\": null, \"block_migration\": \"auto\"}");

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.fault("conflictingRequest")).contains("task_state migrating");
        nothingPublished();
    }

    @Test
    void refusesAStoppedServerWithConflict() {
        Answer answer = migrate(Fleet.STOPPED, adminToken(), "2.30", "{\"host\": null, \"block_migration\": \"auto\"}");

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.fault("conflictingRequest")).contains("vm_state stopped");
        nothingPublished();
    }

    @Test
    void refusesAHostThatDoesNotExistOrIsTheSourceWithBadRequest() {
        Answer missing = migrate(Fleet.ACTIVE_3, adminToken(), "2.30",
                "{\"host\": \"compute-99\", \"block_migration\": \"auto\"}");
        Answer same = migrate(Fleet.ACTIVE_3, adminToken(), "2.30",
                "{\"host\": \"compute-1\", \"block_migration\": \"auto\"}");

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.fault("badRequest")).isEqualTo("Compute host compute-99 could not be found.");
        assertThat(same.status()).isEqualTo(400);
        nothingPublished();
    }
}
