package io.ferry.gateway.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.schemas.Topics;
import io.ferry.schemas.migration.AbortDrain;
import io.ferry.schemas.migration.DrainHost;
import io.ferry.schemas.migration.DrainRecord;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /ferry/v1/hosts/{host}/drain} and {@code /ferry/v1/drains}: what each answers, and what it publishes. */
class DrainsContractTest extends ContractTest {

    private static final String DRAIN = "/ferry/v1/hosts/%s/drain";

    private DrainHost publishedDrain() {
        assertThat(published.sent()).hasSize(1);
        assertThat(published.sent().getFirst().topic()).isEqualTo(Topics.MIGRATION_COMMANDS);
        return (DrainHost) published.sent().getFirst().message();
    }

    @Test
    void drainsAHostWithAReasonAndAnswersAcceptedWithTheDrainsLocation() {
        Answer answer = post(DRAIN.formatted("compute-4"), adminToken(), null,
                "{\"reason\": \"kernel upgrade\", \"disable_host\": false}");

        assertThat(answer.status()).isEqualTo(202);
        String id = answer.body().at("/drain/id").asString();
        assertThat(answer.header("Location")).isEqualTo("/ferry/v1/drains/" + id);
        assertThat(answer.body().at("/drain/host").asString()).isEqualTo("compute-4");
        assertThat(answer.body().at("/drain/status").asString()).isEqualTo("requested");
        DrainHost command = publishedDrain();
        assertThat(published.sent().getFirst().key()).isEqualTo("compute-4");
        assertThat(command.getDrainId()).isEqualTo(id);
        assertThat(command.getHost()).isEqualTo("compute-4");
        assertThat(command.getReason()).isEqualTo("kernel upgrade");
        assertThat(command.getDisableHost()).isFalse();
        assertThat(command.getDryRun()).isFalse();

        // and a second drain of the host while the first is under way is refused, publishing nothing
        published.clear();
        Answer again = post(DRAIN.formatted("compute-4"), adminToken(), null, null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.fault("conflictingRequest")).contains("compute-4").contains(id);
        nothingPublished();

        // once the conductor records the drain as ended, the host may be drained again
        drains.apply(Drains.record(id, "compute-4", "completed", false, 9, System.currentTimeMillis()));
        assertThat(post(DRAIN.formatted("compute-4"), adminToken(), null, null).status()).isEqualTo(202);
        String second = publishedDrain().getDrainId();
        drains.apply(Drains.record(second, "compute-4", "completed", false, 9, System.currentTimeMillis()));
    }

    @Test
    void drainsWithTheHostDisabledWhenTheBodyIsEmpty() {
        Answer answer = post(DRAIN.formatted("compute-3"), adminToken(), null, null);

        assertThat(answer.status()).isEqualTo(202);
        DrainHost command = publishedDrain();
        assertThat(command.getDisableHost()).isTrue();
        assertThat(command.getReason()).isNull();
        assertThat(command.getUserId()).isEqualTo("admin");
        drains.apply(Drains.record(command.getDrainId(), "compute-3", "completed", false, 9,
                System.currentTimeMillis()));
    }

    @Test
    void refusesBadInputWithANovaFaultBeforeThePolicyAndPublishesNothing() {
        String path = DRAIN.formatted("compute-2");

        assertThat(post(path, adminToken(), null, "{\"reason\": 42}").fault("badRequest")).contains("reason");
        assertThat(post(path, adminToken(), null, "{\"reason\": \"\"}").status()).isEqualTo(400);
        assertThat(post(path, adminToken(), null, "{\"disable_host\": \"yes\"}").fault("badRequest"))
                .contains("disable_host").contains("boolean");
        assertThat(post(path, adminToken(), null, "{\"colour\": \"red\"}").fault("badRequest"))
                .contains("'colour' was unexpected");
        assertThat(post(path, adminToken(), null, "[1, 2]").status()).isEqualTo(400);
        assertThat(post(path, adminToken(), null, "{\"reason\": ").fault("badRequest"))
                .isEqualTo("Malformed request body");
        assertThat(post(path + "?dry_run=maybe", adminToken(), null, null).fault("badRequest")).contains("dry_run");
        assertThat(post(path + "?force=1", adminToken(), null, null).status()).isEqualTo(400);
        assertThat(post(path, memberToken(), null, "{\"reason\": 42}").status()).isEqualTo(400);
        nothingPublished();
    }

    @Test
    void refusesAMemberAnAnonymousCallerAndAnUnknownHost() {
        Answer member = post(DRAIN.formatted("compute-2"), memberToken(), null, null);
        Answer anonymous = post(DRAIN.formatted("compute-2"), null, null, null);
        Answer unknown = post(DRAIN.formatted("compute-99"), adminToken(), null, null);

        assertThat(member.status()).isEqualTo(403);
        assertThat(member.fault("forbidden")).isEqualTo("Policy doesn't allow ferry:drains:create to be performed.");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Keystone uri=");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.fault("itemNotFound")).isEqualTo("Compute host compute-99 could not be found.");
        assertThat(get("/ferry/v1/drains", memberToken(), null).status()).isEqualTo(403);
        assertThat(get("/ferry/v1/drains/" + UUID.randomUUID(), memberToken(), null).status()).isEqualTo(403);
        assertThat(delete("/ferry/v1/drains/" + UUID.randomUUID(), memberToken(), null).status()).isEqualTo(403);
        assertThat(get("/ferry/v1/drains", null, null).status()).isEqualTo(401);
        nothingPublished();
    }

    @Test
    void aDryRunAnswersThePlanWithTheExcludedServersReasonAndAdvice() {
        // given a conductor that plans what it is asked to (here: the test, once the command is published)
        CompletableFuture<Void> conductor = CompletableFuture.runAsync(() -> {
            await().atMost(Duration.ofSeconds(10)).until(() -> !published.sent().isEmpty());
            DrainHost asked = (DrainHost) published.sent().getFirst().message();
            drains.apply(Drains.record(asked.getDrainId(), asked.getHost(), "planned", true, 1,
                    System.currentTimeMillis()));
        });

        // when
        Answer plan = post(DRAIN.formatted("compute-1") + "?dry_run=true", adminToken(), null, null);

        // then
        conductor.join();
        assertThat(plan.status()).isEqualTo(200);
        assertThat(publishedDrain().getDryRun()).isTrue();
        JsonNode drain = plan.body().get("drain");
        assertThat(drain.get("status").asString()).isEqualTo("planned");
        assertThat(drain.get("dry_run").asBoolean()).isTrue();
        assertThat(drain.get("lower_bound_ms").asLong()).isEqualTo(6872);
        assertThat(drain.get("predicted_total_ms").asLong()).isEqualTo(7500);
        assertThat(drain.get("max_streams").asInt()).isEqualTo(2);
        assertThat(drain.get("stream_bandwidth_bytes_per_sec").asLong()).isEqualTo(416_600_000L);
        assertThat(drain.get("instances")).hasSize(2);
        assertThat(drain.at("/instances/0/name").asString()).isEqualTo("db-1");
        assertThat(drain.at("/instances/1/predicted_start_ms").asLong()).isEqualTo(4000);
        assertThat(drain.at("/excluded/0/name").asString()).isEqualTo("nfv-1");
        assertThat(drain.at("/excluded/0/reason").asString()).contains("SR-IOV").contains("not live-migratable");
        assertThat(drain.at("/excluded/0/advice").asString()).isEqualTo("cold migrate instead");
    }

    @Test
    void aDryRunTheConductorDoesNotAnswerInTimeIs504() {
        Answer plan = post(DRAIN.formatted("compute-2") + "?dry_run=1", adminToken(), null, null);

        assertThat(plan.status()).isEqualTo(504);
        assertThat(plan.fault("computeFault")).contains("did not plan");
    }

    @Test
    void showsADrainJoinedWithItsMigrationsProgressAndListsDrains() {
        // given a running drain whose first migration is the fleet's running one (25 % of its memory sent)
        String id = UUID.randomUUID().toString();
        drains.apply(Drains.record(id, "compute-2", "running", false, 3, System.currentTimeMillis()));

        // when
        Answer shown = get("/ferry/v1/drains/" + id, adminToken(), null);
        Answer list = get("/ferry/v1/drains?host=compute-2", adminToken(), null);

        // then
        assertThat(shown.status()).isEqualTo(200);
        JsonNode drain = shown.body().get("drain");
        assertThat(drain.get("status").asString()).isEqualTo("running");
        assertThat(drain.get("elapsed_ms").asLong()).isGreaterThanOrEqualTo(2000);
        assertThat(drain.get("predicted_remaining_ms").asLong()).isBetween(0L, 7500L);
        assertThat(drain.get("progress").asInt()).isEqualTo(12);
        JsonNode first = drain.at("/instances/0");
        assertThat(first.get("migration_uuid").asString()).isEqualTo(Fleet.RUNNING_MIGRATION);
        assertThat(first.get("migration_id").asLong()).isEqualTo(Fleet.RUNNING_ID);
        assertThat(first.get("status").asString()).isEqualTo("running");
        assertThat(first.get("progress").asInt()).isEqualTo(25);
        assertThat(first.get("dest_host").asString()).isEqualTo("compute-2");
        assertThat(drain.at("/instances/1/status").asString()).isEqualTo("planned");
        assertThat(drain.at("/instances/1/progress").asInt()).isZero();
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().get("drains")).extracting(d -> d.get("id").asString()).contains(id);
        assertThat(list.body().get("drains").get(0).has("instances")).isFalse();
        assertThat(get("/ferry/v1/drains?colour=red", adminToken(), null).status()).isEqualTo(400);
        assertThat(get("/ferry/v1/drains/" + UUID.randomUUID(), adminToken(), null).fault("itemNotFound"))
                .contains("could not be found");
        drains.apply(Drains.record(id, "compute-2", "completed", false, 4, System.currentTimeMillis()));
    }

    @Test
    void aMigrationTheDrainRecordsEndedShowsEndedEvenWhenItsOwnRecordHereIsBehind() {
        // given a completed drain whose first migration this gateway still reads as running (two topics)
        String id = UUID.randomUUID().toString();
        DrainRecord record = Drains.record(id, "compute-1", "completed", false, 7, System.currentTimeMillis());
        record.getInstances().getFirst().setStatus("completed");
        record.getInstances().getFirst().setDestHost("compute-4");
        drains.apply(record);

        // when
        JsonNode first = get("/ferry/v1/drains/" + id, adminToken(), null).body().at("/drain/instances/0");

        // then
        assertThat(first.get("migration_uuid").asString()).isEqualTo(Fleet.RUNNING_MIGRATION);
        assertThat(first.get("status").asString()).isEqualTo("completed");
        assertThat(first.get("progress").asInt()).isEqualTo(100);
        assertThat(first.get("dest_host").asString()).isEqualTo("compute-4");
    }

    @Test
    void stopsARunningDrainAndRefusesToStopAnEndedOrUnknownOne() {
        String running = UUID.randomUUID().toString();
        String ended = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        drains.apply(Drains.record(running, "compute-3", "running", false, 3, now));
        drains.apply(Drains.record(ended, "compute-2", "completed", false, 8, now));

        Answer refusedEnded = delete("/ferry/v1/drains/" + ended, adminToken(), null);
        Answer refusedUnknown = delete("/ferry/v1/drains/" + UUID.randomUUID(), adminToken(), null);
        assertThat(refusedEnded.status()).isEqualTo(409);
        assertThat(refusedEnded.fault("conflictingRequest")).contains("completed");
        assertThat(refusedUnknown.status()).isEqualTo(404);
        nothingPublished();

        Answer stopped = delete("/ferry/v1/drains/" + running, adminToken(), null);

        assertThat(stopped.status()).isEqualTo(202);
        assertThat(published.sent()).singleElement().satisfies(sent -> {
            assertThat(sent.topic()).isEqualTo(Topics.MIGRATION_COMMANDS);
            assertThat(sent.key()).isEqualTo("compute-3");
            assertThat(((AbortDrain) sent.message()).getDrainId()).isEqualTo(running);
            assertThat(((AbortDrain) sent.message()).getAbortRunning()).isFalse();
        });
        drains.apply(Drains.record(running, "compute-3", "stopped", false, 4, now));
    }

    @Test
    void stopsADrainAbortingItsRunningMigrationsOnRequest() {
        String running = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        drains.apply(Drains.record(running, "compute-3", "running", false, 3, now));

        Answer stopped = delete("/ferry/v1/drains/" + running + "?abort_running=true", adminToken(), null);

        assertThat(stopped.status()).isEqualTo(202);
        assertThat(published.sent()).singleElement().satisfies(sent -> {
            assertThat(sent.key()).isEqualTo("compute-3");
            AbortDrain abort = (AbortDrain) sent.message();
            assertThat(abort.getDrainId()).isEqualTo(running);
            assertThat(abort.getAbortRunning()).isTrue();
            assertThat(abort.getReason()).isEqualTo("stopped by the operator");
        });
        published.clear();
        assertThat(delete("/ferry/v1/drains/" + running + "?abort_running=no", adminToken(), null).status())
                .isEqualTo(202);
        assertThat(((AbortDrain) published.sent().getFirst().message()).getAbortRunning()).isFalse();
        drains.apply(Drains.record(running, "compute-3", "stopped", false, 4, now));
    }

    @Test
    void refusesABadAbortRunningWithANovaFaultBeforeThePolicyAndPublishesNothing() {
        String running = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        drains.apply(Drains.record(running, "compute-2", "running", false, 3, now));
        String path = "/ferry/v1/drains/" + running;

        Answer maybe = delete(path + "?abort_running=maybe", adminToken(), null);
        Answer empty = delete(path + "?abort_running=", adminToken(), null);
        Answer other = delete(path + "?abort_running=true&force=1", adminToken(), null);
        Answer member = delete(path + "?abort_running=maybe", memberToken(), null);

        assertThat(maybe.status()).isEqualTo(400);
        assertThat(maybe.fault("badRequest")).contains("abort_running").contains("maybe");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(other.fault("badRequest")).contains("'force' was unexpected");
        assertThat(member.status()).isEqualTo(400);
        nothingPublished();
        drains.apply(Drains.record(running, "compute-2", "stopped", false, 4, now));
    }
}
