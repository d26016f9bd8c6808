package io.ferry.gateway.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.schemas.migration.AbortMigration;
import io.ferry.schemas.migration.ForceCompleteMigration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class MigrationsContractTest extends ContractTest {

    private static final String RUNNING = "/v2.1/servers/" + Fleet.RUNNING + "/migrations";
    private static final String QUEUED = "/v2.1/servers/" + Fleet.QUEUED + "/migrations";

    @Test
    void listsAServersMigrationsFrom223WithFieldsPerVersion() {
        Answer before = get(RUNNING, adminToken(), "2.22");
        JsonNode v223 = get(RUNNING, adminToken(), "2.23").body().at("/migrations/0");
        JsonNode v259 = get(RUNNING, adminToken(), "2.59").body().at("/migrations/0");
        JsonNode v280 = get(RUNNING, adminToken(), "2.80").body().at("/migrations/0");

        assertThat(before.status()).isEqualTo(404);
        assertThat(v223.get("id").asLong()).isEqualTo(Fleet.RUNNING_ID);
        assertThat(v223.get("status").asString()).isEqualTo("running");
        assertThat(v223.get("server_uuid").asString()).isEqualTo(Fleet.RUNNING);
        assertThat(v223.get("memory_total_bytes").asLong()).isEqualTo(4096L << 20);
        assertThat(v223.get("memory_processed_bytes").asLong()).isEqualTo(1024L << 20);
        assertThat(v223.get("memory_remaining_bytes").asLong()).isEqualTo(3072L << 20);
        assertThat(v223.has("disk_total_bytes")).isTrue();
        assertThat(v223.has("uuid")).isFalse();
        assertThat(v259.get("uuid").asString()).isEqualTo(Fleet.RUNNING_MIGRATION);
        assertThat(v259.has("user_id")).isFalse();
        assertThat(v280.get("user_id").asString()).isEqualTo("demo-user");
        assertThat(v280.get("project_id").asString()).isEqualTo("demo");
    }

    @Test
    void showsOnlyInProgressMigrations() {
        Answer running = get(RUNNING + "/" + Fleet.RUNNING_ID, adminToken(), "2.23");
        Answer done = get("/v2.1/servers/" + Fleet.SPARE + "/migrations/" + Fleet.DONE_ID, adminToken(), "2.23");
        Answer unknown = get(RUNNING + "/999", adminToken(), "2.23");

        assertThat(running.status()).isEqualTo(200);
        assertThat(running.body().at("/migration/source_compute").asString()).isEqualTo("compute-1");
        assertThat(done.status()).isEqualTo(404);
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void forbidsServerMigrationsToAMember() {
        assertThat(get(RUNNING, memberToken(), "2.23").status()).isEqualTo(403);
        assertThat(delete(RUNNING + "/" + Fleet.RUNNING_ID, memberToken(), "2.24").status()).isEqualTo(403);
        Answer force = post(RUNNING + "/" + Fleet.RUNNING_ID + "/action", memberToken(), "2.22",
                "{\"force_complete\": null}");
        assertThat(force.status()).isEqualTo(403);
        nothingPublished();
    }

    @Test
    void forceCompletesARunningMigrationFrom222() {
        Answer early = post(RUNNING + "/" + Fleet.RUNNING_ID + "/action", adminToken(), "2.21",
                "{\"force_complete\": null}");
        assertThat(early.status()).isEqualTo(404);
        nothingPublished();

        Answer answer = post(RUNNING + "/" + Fleet.RUNNING_ID + "/action", adminToken(), "2.22",
                "{\"force_complete\": null}");

        assertThat(answer.status()).isEqualTo(202);
        assertThat(published.sent()).singleElement().satisfies(s -> {
            assertThat(s.key()).isEqualTo(Fleet.RUNNING);
            assertThat(((ForceCompleteMigration) s.message()).getMigrationUuid()).isEqualTo(Fleet.RUNNING_MIGRATION);
        });
    }

    @Test
    void refusesToForceCompleteAQueuedMigrationOrWithABadBody() {
        Answer queued = post(QUEUED + "/" + Fleet.QUEUED_ID + "/action", adminToken(), "2.22",
                "{\"force_complete\": null}");
        Answer badValue = post(RUNNING + "/" + Fleet.RUNNING_ID + "/action", adminToken(), "2.22",
                "{\"force_complete\": 1}");
        Answer extra = post(RUNNING + "/" + Fleet.RUNNING_ID + "/action", adminToken(), "2.22",
                "{\"force_complete\": null, \"now\": true}");
        Answer notMigrating = post("/v2.1/servers/" + Fleet.SPARE + "/migrations/" + Fleet.DONE_ID + "/action",
                adminToken(), "2.22", "{\"force_complete\": null}");

        assertThat(queued.status()).isEqualTo(400);
        assertThat(queued.fault("badRequest")).contains("is queued");
        assertThat(badValue.status()).isEqualTo(400);
        assertThat(extra.status()).isEqualTo(400);
        assertThat(notMigrating.status()).isEqualTo(409);
        assertThat(notMigrating.fault("conflictingRequest")).contains("task_state None");
        nothingPublished();
    }

    @Test
    void abortsAQueuedMigrationOnlyFrom265() {
        Answer early = delete(QUEUED + "/" + Fleet.QUEUED_ID, adminToken(), "2.64");
        assertThat(early.status()).isEqualTo(400);
        assertThat(early.fault("badRequest")).contains("Cannot abort live migration");
        nothingPublished();

        Answer answer = delete(QUEUED + "/" + Fleet.QUEUED_ID, adminToken(), "2.65");

        assertThat(answer.status()).isEqualTo(202);
        assertThat(published.sent()).singleElement()
                .satisfies(s -> assertThat(s.message()).isInstanceOf(AbortMigration.class));
    }

    @Test
    void abortsARunningMigrationFrom224() {
        assertThat(delete(RUNNING + "/" + Fleet.RUNNING_ID, adminToken(), "2.23").status()).isEqualTo(404);
        Answer unknown = delete(RUNNING + "/12345", adminToken(), "2.24");
        assertThat(unknown.status()).isEqualTo(404);
        nothingPublished();

        assertThat(delete(RUNNING + "/" + Fleet.RUNNING_ID, adminToken(), "2.24").status()).isEqualTo(202);
        assertThat(published.sent()).hasSize(1);
    }

    @Test
    void listsOsMigrationsWithFieldsPerVersion() {
        JsonNode v21 = get("/v2.1/os-migrations", adminToken(), "2.1").body().get("migrations");
        JsonNode v223 = get("/v2.1/os-migrations", adminToken(), "2.23").body().get("migrations");

        assertThat(v21).hasSize(3);
        assertThat(v21.get(0).has("migration_type")).isFalse();
        assertThat(v21.get(0).has("links")).isFalse();
        assertThat(v21.get(0).has("uuid")).isFalse();
        assertThat(v223.findValuesAsString("migration_type")).containsOnly("live-migration");
        JsonNode running = find(v223, Fleet.RUNNING_ID);
        JsonNode done = find(v223, Fleet.DONE_ID);
        assertThat(running.has("links")).isTrue();
        assertThat(done.has("links")).isFalse();
        assertThat(find(get("/v2.1/os-migrations", adminToken(), "2.80").body().get("migrations"), Fleet.DONE_ID)
                .get("project_id").asString()).isEqualTo("demo");
    }

    @Test
    void filtersOsMigrations() {
        assertThat(get("/v2.1/os-migrations?status=completed", adminToken(), null).body().get("migrations"))
                .hasSize(1);
        assertThat(get("/v2.1/os-migrations?host=compute-3", adminToken(), null).body().get("migrations"))
                .hasSize(1);
        assertThat(get("/v2.1/os-migrations?instance_uuid=" + Fleet.RUNNING, adminToken(), null).body()
                .get("migrations")).hasSize(1);
        assertThat(get("/v2.1/os-migrations?source_compute=compute-1", adminToken(), null).body().get("migrations"))
                .hasSize(2);
        assertThat(get("/v2.1/os-migrations?user_id=nobody", adminToken(), "2.80").body().get("migrations"))
                .isEmpty();
        String since = Instant.now().minus(10, ChronoUnit.MINUTES).toString();
        assertThat(get("/v2.1/os-migrations?changes-since=" + since, adminToken(), "2.59").body().get("migrations"))
                .hasSize(2);
        assertThat(get("/v2.1/os-migrations?changes-before=" + since, adminToken(), "2.66").body().get("migrations"))
                .hasSize(1);
    }

    @Test
    void pagesOsMigrationsFrom259() {
        Answer first = get("/v2.1/os-migrations?limit=1", adminToken(), "2.59");
        String marker = first.body().at("/migrations/0/uuid").asString();
        Answer second = get("/v2.1/os-migrations?limit=5&marker=" + marker, adminToken(), "2.59");

        assertThat(first.body().get("migrations")).hasSize(1);
        assertThat(first.body().at("/migrations_links/0/href").asString()).contains("marker=" + marker);
        assertThat(second.body().get("migrations")).hasSize(2);
        assertThat(get("/v2.1/os-migrations?limit=1", adminToken(), "2.58").body().get("migrations")).hasSize(3);
    }

    @Test
    void refusesBadOsMigrationsQueries() {
        Answer marker = get("/v2.1/os-migrations?marker=" + Fleet.UNKNOWN, adminToken(), "2.59");
        Answer unknown = get("/v2.1/os-migrations?colour=red", adminToken(), "2.59");
        Answer old = get("/v2.1/os-migrations?colour=red", adminToken(), "2.58");
        Answer userBefore280 = get("/v2.1/os-migrations?user_id=x", adminToken(), "2.79");
        Answer reversed = get("/v2.1/os-migrations?changes-since=2030-01-01T00:00:00Z"
                + "&changes-before=2020-01-01T00:00:00Z", adminToken(), "2.66");
        Answer badTime = get("/v2.1/os-migrations?changes-since=yesterday", adminToken(), "2.59");

        assertThat(marker.status()).isEqualTo(400);
        assertThat(marker.fault("badRequest")).isEqualTo("Marker " + Fleet.UNKNOWN + " could not be found.");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(old.status()).isEqualTo(200);
        assertThat(userBefore280.status()).isEqualTo(400);
        assertThat(reversed.status()).isEqualTo(400);
        assertThat(badTime.status()).isEqualTo(400);
    }

    @Test
    void forbidsOsMigrationsToAMember() {
        Answer answer = get("/v2.1/os-migrations", memberToken(), null);

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.fault("forbidden")).contains("os_compute_api:os-migrations:index");
    }

    private static JsonNode find(JsonNode migrations, long id) {
        for (JsonNode m : migrations) {
            if (m.get("id").asLong() == id) {
                return m;
            }
        }
        throw new AssertionError("no migration " + id + " in " + migrations);
    }
}
