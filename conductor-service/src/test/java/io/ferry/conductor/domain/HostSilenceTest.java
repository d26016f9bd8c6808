package io.ferry.conductor.domain;

import static io.ferry.conductor.domain.Journeys.ALTERNATE;
import static io.ferry.conductor.domain.Journeys.DEST;
import static io.ferry.conductor.domain.Journeys.SOURCE;
import static io.ferry.conductor.domain.Journeys.at;
import static io.ferry.conductor.domain.Journeys.done;
import static io.ferry.conductor.domain.Journeys.names;
import static io.ferry.conductor.domain.Journeys.progress;
import static io.ferry.conductor.domain.Journeys.reading;
import static io.ferry.conductor.domain.Journeys.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.conductor.domain.MigrationInput.JobEnded;
import io.ferry.conductor.domain.MigrationInput.JobOutcome;
import io.ferry.conductor.domain.MigrationInput.LivenessCheck;
import io.ferry.conductor.domain.MigrationProcess.Step;
import io.ferry.conductor.domain.convergence.MigrationPhase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A host a migration waits for goes silent longer than host-heartbeat-timeout (60 s): every state × silent host, the
 * status it ends in, the orders it sends and where the record puts the guest; then what the source says when it
 * comes back.
 */
class HostSilenceTest {

    private static final Duration TIMEOUT = LivenessSettings.DEFAULT_HEARTBEAT_TIMEOUT;
    private static final Duration LOST = TIMEOUT.plusSeconds(1);
    private final Journeys journeys = new Journeys();

    /** A case: a migration in some state, the host that goes silent, what must follow. */
    record Case(String name, Function<Journeys, Migration> state, String silentHost, MigrationStatus status,
                List<String> orders, String locationMentions) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> table() {
        return Stream.of(
                new Case("queued, source silent", j -> j.in(MigrationStatus.QUEUED), SOURCE,
                        MigrationStatus.FAILED, List.of(), null),
                new Case("preparing, scheduling, source silent", j -> j.in(MigrationStatus.PREPARING), SOURCE,
                        MigrationStatus.FAILED, List.of(), null),
                new Case("preparing, destination preparing, source silent",
                        j -> j.preparingAt(DEST, List.of(ALTERNATE)), SOURCE,
                        MigrationStatus.FAILED, List.of("ROLLBACK_DESTINATION@" + DEST), null),
                new Case("preparing, destination preparing, destination silent",
                        j -> j.preparingAt(DEST, List.of(ALTERNATE)), DEST,
                        MigrationStatus.PREPARING,
                        List.of("ROLLBACK_DESTINATION@" + DEST, "PREPARE_DESTINATION@" + ALTERNATE), null),
                new Case("preparing, forced destination preparing, destination silent",
                        HostSilenceTest::forcedPreparing, DEST, MigrationStatus.FAILED,
                        List.of("ROLLBACK_DESTINATION@" + DEST), "the guest runs on " + SOURCE + ": nothing changed"),
                new Case("preparing, checking the source, source silent", HostSilenceTest::checkingSource, SOURCE,
                        MigrationStatus.FAILED, List.of("ROLLBACK_DESTINATION@" + DEST), null),
                new Case("preparing, start ordered, source silent", HostSilenceTest::startOrdered, SOURCE,
                        MigrationStatus.ERROR, List.of("ABORT_JOB@" + SOURCE), "unless the start order reached"),
                new Case("running, source silent", HostSilenceTest::runningWithProgress, SOURCE,
                        MigrationStatus.ERROR, List.of("ABORT_JOB@" + SOURCE), "the guest runs on " + SOURCE),
                new Case("running, destination silent", HostSilenceTest::runningWithProgress, DEST,
                        MigrationStatus.RUNNING, List.of("ABORT_JOB@" + SOURCE), "the guest runs on " + SOURCE),
                new Case("running (post-copy), source silent", j -> j.in(MigrationStatus.RUNNING_POST_COPY), SOURCE,
                        MigrationStatus.ERROR, List.of(), "the guest runs on " + DEST + " in post-copy"),
                new Case("post-migrating, destination silent", j -> j.in(MigrationStatus.POST_MIGRATING), DEST,
                        MigrationStatus.ERROR, List.of(), "the guest's memory is on " + DEST),
                new Case("post-migrating, source silent", j -> j.in(MigrationStatus.POST_MIGRATING), SOURCE,
                        MigrationStatus.ERROR, List.of(), "the guest runs on " + DEST));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void aLostHostEndsTheMigrationAsItsStateRequires(Case c) {
        // given
        Migration m = c.state().apply(journeys);

        // when
        Step step = journeys.step(m, check(m, c.silentHost(), LOST));

        // then
        assertThat(step.migration().status()).isEqualTo(c.status());
        assertThat(names(step.effects())).containsExactlyElementsOf(c.orders());
        assertThat(step.records()).isNotEmpty();
        assertThat(step.migration().reason()).contains(c.silentHost()).contains("stopped reporting")
                .contains("61 s");
        if (c.status() == MigrationStatus.FAILED) {
            assertThat(step.migration().reason()).contains("nothing changed");
        }
        if (c.locationMentions() != null) {
            assertThat(step.migration().vmLocation()).contains(c.locationMentions());
            assertThat(step.migration().operatorAction()).isNotBlank();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void aHostSilentNoLongerThanTheTimeoutChangesNothing(Case c) {
        // given
        Migration m = c.state().apply(journeys);

        // when
        Step step = journeys.step(m, check(m, c.silentHost(), TIMEOUT));

        // then
        assertThat(step.records()).isEmpty();
        assertThat(step.effects()).isEmpty();
        assertThat(step.migration()).isSameAs(m);
    }

    @Test
    void aSilentHostTheMigrationDoesNotWaitForChangesNothing() {
        // given post-copy: the guest already runs on the destination, its silence never aborts the job
        Migration postCopy = journeys.in(MigrationStatus.RUNNING_POST_COPY);

        // when
        Step step = journeys.step(postCopy, new LivenessCheck(Map.of(DEST, LOST.multipliedBy(10)), at(40)));

        // then
        assertThat(step.migration()).isSameAs(postCopy);
        assertThat(HostSilence.watchedHosts(postCopy)).containsExactly(SOURCE);
    }

    @Test
    void aDestinationSilentWhileTheStreamRunsIsAbortedOnceAndTheMigrationIsCancelledWithTheGuestOnTheSource() {
        // given a running migration whose destination falls silent
        Migration running = runningWithProgress(journeys);
        Step abort = journeys.step(running, new LivenessCheck(Map.of(SOURCE, Duration.ofSeconds(1), DEST, LOST),
                at(40)));

        // when the check repeats, then the source reports its job cancelled
        Step again = journeys.step(abort.migration(), new LivenessCheck(Map.of(DEST, LOST.plusSeconds(20)), at(60)));
        Step ended = journeys.step(again.migration(), Journeys.jobEnded(JobOutcome.CANCELLED));

        // then one abort, no second one, and the end cancels with the reason, the guest's place and a rollback
        assertThat(names(abort.effects())).containsExactly("ABORT_JOB@" + SOURCE);
        assertThat(abort.migration().abortReason()).contains("destination host " + DEST + " stopped reporting")
                .contains("while the stream ran").contains("the guest stays on " + SOURCE);
        assertThat(HostSilence.watchedHosts(abort.migration())).containsExactly(SOURCE);
        assertThat(again.effects()).isEmpty();
        assertThat(again.records()).isEmpty();
        assertThat(ended.migration().status()).isEqualTo(MigrationStatus.CANCELLED);
        assertThat(ended.migration().reason()).contains("destination host " + DEST + " stopped reporting");
        assertThat(ended.migration().vmLocation()).startsWith("the guest runs on " + SOURCE);
        assertThat(ended.migration().operatorAction()).contains("releases its reservation");
        assertThat(names(ended.effects())).containsExactly("ROLLBACK_DESTINATION@" + DEST);
    }

    @Test
    void aStreamThatCompletesBeforeTheAbortForASilentDestinationLandsWaitsForTheDestination() {
        // given the abort ordered for a silent destination
        Migration aborting = journeys.step(runningWithProgress(journeys),
                new LivenessCheck(Map.of(DEST, LOST), at(40))).migration();

        // when the job completed first
        Step post = journeys.step(aborting, Journeys.jobEnded(JobOutcome.COMPLETED));

        // then post-migrating, the abort's location dropped, and the destination watched again
        assertThat(post.migration().status()).isEqualTo(MigrationStatus.POST_MIGRATING);
        assertThat(post.migration().vmLocation()).isNull();
        assertThat(HostSilence.watchedHosts(post.migration())).contains(DEST);
    }

    @Test
    void endedMigrationsIgnoreTheCheck() {
        for (MigrationStatus status : List.of(MigrationStatus.COMPLETED, MigrationStatus.FAILED,
                MigrationStatus.CANCELLED, MigrationStatus.ERROR)) {
            Migration m = journeys.in(status);
            Step step = journeys.step(m, new LivenessCheck(Map.of(SOURCE, LOST, DEST, LOST), at(100)));
            assertThat(step.migration()).as(status.novaName()).isSameAs(m);
            assertThat(HostSilence.watchedHosts(m)).isEmpty();
        }
    }

    @Test
    void theErrorOfARunningMigrationKeepsTheLastFiguresAndThePhase() {
        // given a stream 10 s in: 1.22 GiB of 4 GiB sent
        Migration running = runningWithProgress(journeys);

        // when
        Migration error = journeys.step(running, check(running, SOURCE, LOST)).migration();

        // then
        assertThat(error.figures()).isEqualTo(running.figures());
        assertThat(error.reason()).contains("while the stream ran").contains("pre-copy")
                .contains("1.16 of 4.00 GiB of memory sent");
        assertThat(error.awaiting()).isEqualTo(AgentStep.ABORT_JOB);
        assertThat(error.operatorAction()).contains("Ferry ordered it to abort the job");
    }

    @Test
    void aPostCopyJobIsNeverAborted() {
        // given
        Migration postCopy = journeys.in(MigrationStatus.RUNNING_POST_COPY);

        // when
        Step step = journeys.step(postCopy, check(postCopy, SOURCE, LOST));

        // then
        assertThat(step.effects()).isEmpty();
        assertThat(step.migration().awaiting()).isEqualTo(AgentStep.SWITCH_TO_POST_COPY);
        assertThat(journeys.process.resume(step.migration(), at(200)).effects()).isEmpty();
    }

    @Test
    void theCheckIsOffWhenTheTimeoutIsZero() {
        // given
        Journeys off = new Journeys(LifecycleSettings.defaults()
                .withLiveness(new LivenessSettings(Duration.ZERO, Duration.ofSeconds(60))));
        Migration running = runningWithProgress(off);

        // when
        Step step = off.step(running, check(running, SOURCE, Duration.ofDays(1)));

        // then
        assertThat(step.migration()).isSameAs(running);
    }

    /** After the error, the source comes back: what its answer does to the record (never its status). */
    static Stream<Arguments> comeback() {
        return Stream.of(
                Arguments.of("job cancelled", new JobEnded(JobOutcome.CANCELLED, "completion deadline passed",
                        JobFigures.NONE, at(300)), List.of("ROLLBACK_DESTINATION@" + DEST),
                        "the guest runs on " + SOURCE + ": its job ended cancelled (completion deadline passed)"),
                Arguments.of("job failed", new JobEnded(JobOutcome.FAILED, "link down", JobFigures.NONE, at(300)),
                        List.of("ROLLBACK_DESTINATION@" + DEST), "the guest runs on " + SOURCE),
                Arguments.of("job completed", new JobEnded(JobOutcome.COMPLETED, null, JobFigures.NONE, at(300)),
                        List.of("POST_MIGRATE_DESTINATION@" + DEST, "CLEANUP_SOURCE@" + SOURCE),
                        "the guest runs on " + DEST),
                Arguments.of("no job, no record", refused(SOURCE, AgentStep.ABORT_JOB, "no migration job"),
                        List.of(), "unknown: " + SOURCE + " reported again"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("comeback")
    void whenTheSourceComesBackTheRecordSaysWhereTheGuestIsAndStaysInError(String name, MigrationInput answer,
                                                                          List<String> orders, String location) {
        // given
        Migration running = runningWithProgress(journeys);
        Migration error = journeys.then(running, check(running, SOURCE, LOST));

        // when
        Step step = journeys.step(error, answer);

        // then
        assertThat(step.migration().status()).isEqualTo(MigrationStatus.ERROR);
        assertThat(step.records()).hasSize(1);
        assertThat(step.records().getFirst().sequence()).isEqualTo(error.sequence());
        assertThat(names(step.effects())).containsExactlyElementsOf(orders);
        assertThat(step.migration().vmLocation()).contains(location);
        assertThat(step.migration().reason()).isEqualTo(error.reason());
        assertThat(step.migration().awaiting()).isNull();

        // and the same answer again changes nothing
        Step again = journeys.step(step.migration(), answer);
        assertThat(again.records()).isEmpty();
        assertThat(again.effects()).isEmpty();
    }

    /** Post-migrating, one host silent: its answer, when it comes back, settles the record (never its status). */
    static Stream<Arguments> postMigratingComeback() {
        return Stream.of(
                Arguments.of(DEST, done(DEST, AgentStep.POST_MIGRATE_DESTINATION),
                        "the guest runs on " + DEST + ": " + DEST + " confirmed"),
                Arguments.of(DEST, new MigrationInput.AgentReplied(DEST, AgentStep.POST_MIGRATE_DESTINATION, false,
                        "guest not running", at(300)), "which could not take the guest over: guest not running"),
                Arguments.of(SOURCE, done(SOURCE, AgentStep.CLEANUP_SOURCE),
                        SOURCE + " cleaned up when it reported again"));
    }

    @ParameterizedTest(name = "{0} silent, then {1}")
    @MethodSource("postMigratingComeback")
    void afterPostMigratingTheSilentHostsAnswerSettlesWhereTheGuestIs(String silent, MigrationInput answer,
                                                                    String location) {
        // given
        Migration post = journeys.in(MigrationStatus.POST_MIGRATING);
        Migration error = journeys.then(post, check(post, silent, LOST));

        // when
        Step step = journeys.step(error, answer);

        // then
        assertThat(step.migration().status()).isEqualTo(MigrationStatus.ERROR);
        assertThat(step.records()).hasSize(1);
        assertThat(step.migration().vmLocation()).contains(location);
        assertThat(step.migration().awaiting()).isNull();
        assertThat(journeys.step(step.migration(), answer).records()).isEmpty();
        // a job end arriving late changes nothing here
        assertThat(journeys.step(error, new JobEnded(JobOutcome.CANCELLED, "late", JobFigures.NONE, at(301)))
                .records()).isEmpty();
    }

    @Test
    void anAbortAcknowledgedAfterTheErrorWaitsForTheJobsEnd() {
        // given
        Migration running = runningWithProgress(journeys);
        Migration error = journeys.then(running, check(running, SOURCE, LOST));

        // when
        Step step = journeys.step(error, done(SOURCE, AgentStep.ABORT_JOB));

        // then
        assertThat(step.migration()).isSameAs(error);
    }

    @Test
    void aRestartedConductorOrdersTheAbortAgainWhileTheOutcomeIsUnknown() {
        // given
        Migration running = runningWithProgress(journeys);
        Migration error = journeys.then(running, check(running, SOURCE, LOST));

        // when
        Step resumed = journeys.process.resume(error, at(500));

        // then
        assertThat(names(resumed.effects())).containsExactly("ABORT_JOB@" + SOURCE);
        assertThat(resumed.records()).isEmpty();
    }

    @Test
    void aRunningJobThatStopsReportingWhileItsSourceTalksIsAskedAboutOnce() {
        // given a running migration whose last reading is 61 s old, its source heard a second ago
        Migration running = runningWithProgress(journeys);
        var quiet = new LivenessCheck(Map.of(SOURCE, Duration.ofSeconds(1)), running.updatedAt().plus(LOST));

        // when
        Step probe = journeys.step(running, quiet);
        Step again = journeys.step(probe.migration(), quiet);

        // then
        assertThat(names(probe.effects())).containsExactly("SET_MAX_DOWNTIME@" + SOURCE);
        assertThat(probe.migration().status()).isEqualTo(MigrationStatus.RUNNING);
        assertThat(again.effects()).isEmpty();
    }

    private static LivenessCheck check(Migration m, String host, Duration silent) {
        return new LivenessCheck(Map.of(host, silent), m.updatedAt().plusSeconds(1));
    }

    private static Migration forcedPreparing(Journeys j) {
        Migration queued = Migration.queued(1, "m-1", new Instance("vm-m-1", "vm", Journeys.RAM_MB, 2, 20, "p", "u"),
                SOURCE, DEST, false, false, Journeys.T0);
        Migration preparing = j.process.admit(queued, java.util.Set.of(), at(1)).migration();
        return j.then(preparing, new MigrationInput.DestinationClaimed(DEST, List.of(), at(2)));
    }

    private static Migration checkingSource(Journeys j) {
        return j.then(j.preparingAt(DEST, List.of(ALTERNATE)), done(DEST, AgentStep.PREPARE_DESTINATION));
    }

    private static Migration startOrdered(Journeys j) {
        return j.then(checkingSource(j), done(SOURCE, AgentStep.CHECK_SOURCE));
    }

    private static Migration runningWithProgress(Journeys j) {
        return j.then(j.running(), progress(reading(10, MigrationPhase.PRE_COPY)));
    }
}
