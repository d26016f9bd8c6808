package io.ferry.conductor.domain;

import static io.ferry.conductor.domain.Journeys.ALTERNATE;
import static io.ferry.conductor.domain.Journeys.DEST;
import static io.ferry.conductor.domain.Journeys.SOURCE;
import static io.ferry.conductor.domain.Journeys.at;
import static io.ferry.conductor.domain.Journeys.done;
import static io.ferry.conductor.domain.Journeys.jobEnded;
import static io.ferry.conductor.domain.Journeys.names;
import static io.ferry.conductor.domain.Journeys.progress;
import static io.ferry.conductor.domain.Journeys.reading;
import static io.ferry.conductor.domain.Journeys.refused;
import static io.ferry.conductor.domain.MigrationStatus.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.conductor.domain.MigrationInput.JobOutcome;
import io.ferry.conductor.domain.MigrationProcess.Step;
import io.ferry.conductor.domain.convergence.MigrationPhase;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every situation × every input: what the process does (the status it moves to and the orders it sends) or that it
 * ignores the input (no record, no order). A situation is a status, split where the status waits for different
 * things (preparing: for the scheduler, the destination, the source check or the start; running: after an abort
 * request or a restart; post-migrating: with the destination activated). And every status × status: which moves
 * the lifecycle allows.
 */
class MigrationProcessTableTest {

    /** The inputs, each as a migration in any status can receive it. */
    enum In {
        CLAIMED(() -> new MigrationInput.DestinationClaimed(DEST, List.of(ALTERNATE), at(2))),
        NO_VALID_HOST(() -> new MigrationInput.NoValidHost("No valid host was found.", at(2))),
        PREPARE_DONE(() -> done(DEST, AgentStep.PREPARE_DESTINATION)),
        PREPARE_REFUSED(() -> refused(DEST, AgentStep.PREPARE_DESTINATION, "not enough memory")),
        CHECK_SOURCE_DONE(() -> done(SOURCE, AgentStep.CHECK_SOURCE)),
        CHECK_SOURCE_REFUSED(() -> refused(SOURCE, AgentStep.CHECK_SOURCE, "guest CPU not compatible")),
        START_DONE(() -> done(SOURCE, AgentStep.START_MIGRATION)),
        START_REFUSED(() -> refused(SOURCE, AgentStep.START_MIGRATION, "libvirt refused")),
        PROGRESS(() -> progress(reading(10, MigrationPhase.PRE_COPY))),
        PROGRESS_POST_COPY(() -> progress(reading(12, MigrationPhase.POST_COPY))),
        PROBE_DONE(() -> done(SOURCE, AgentStep.SET_MAX_DOWNTIME)),
        PROBE_REFUSED(() -> refused(SOURCE, AgentStep.SET_MAX_DOWNTIME, "no such job")),
        SWITCHED_TO_POST_COPY(() -> done(SOURCE, AgentStep.SWITCH_TO_POST_COPY)),
        JOB_COMPLETED(() -> jobEnded(JobOutcome.COMPLETED)),
        JOB_FAILED(() -> jobEnded(JobOutcome.FAILED)),
        JOB_CANCELLED(() -> jobEnded(JobOutcome.CANCELLED)),
        JOB_GUEST_LOST(() -> jobEnded(JobOutcome.GUEST_LOST)),
        POST_MIGRATE_DONE(() -> done(DEST, AgentStep.POST_MIGRATE_DESTINATION)),
        POST_MIGRATE_FAILED(() -> refused(DEST, AgentStep.POST_MIGRATE_DESTINATION, "port binding failed")),
        CLEANUP_DONE(() -> done(SOURCE, AgentStep.CLEANUP_SOURCE)),
        CLEANUP_FAILED(() -> refused(SOURCE, AgentStep.CLEANUP_SOURCE, "disk busy")),
        ABORT(() -> new MigrationInput.AbortRequested(at(30))),
        FORCE_COMPLETE(() -> new MigrationInput.ForceCompleteRequested(at(30)));

        final Supplier<MigrationInput> input;

        In(Supplier<MigrationInput> input) {
            this.input = input;
        }
    }

    /** Where a migration can be, each reached through the real process. */
    enum Situation {
        ACCEPTED(MigrationStatus.ACCEPTED, j -> j.in(MigrationStatus.ACCEPTED)),
        QUEUED(MigrationStatus.QUEUED, j -> j.in(MigrationStatus.QUEUED)),
        PREPARING_SCHEDULING(MigrationStatus.PREPARING, j -> j.in(MigrationStatus.PREPARING)),
        PREPARING_DESTINATION(MigrationStatus.PREPARING, j -> j.preparingAt(DEST, List.of(ALTERNATE))),
        PREPARING_SOURCE_CHECK(MigrationStatus.PREPARING,
                j -> j.then(j.preparingAt(DEST, List.of(ALTERNATE)), done(DEST, AgentStep.PREPARE_DESTINATION))),
        PREPARING_STARTING(MigrationStatus.PREPARING, Journeys::starting),
        PREPARING_STARTING_ABORTED(MigrationStatus.PREPARING,
                j -> j.then(j.starting(), new MigrationInput.AbortRequested(at(4)))),
        RUNNING(MigrationStatus.RUNNING, Journeys::running),
        RUNNING_ABORTING(MigrationStatus.RUNNING, j -> j.then(j.running(), new MigrationInput.AbortRequested(at(5)))),
        RUNNING_PROBED(MigrationStatus.RUNNING, j -> j.process.resume(j.running(), at(6)).migration()),
        RUNNING_POST_COPY(MigrationStatus.RUNNING_POST_COPY, j -> j.in(MigrationStatus.RUNNING_POST_COPY)),
        POST_MIGRATING(MigrationStatus.POST_MIGRATING, j -> j.in(MigrationStatus.POST_MIGRATING)),
        POST_MIGRATING_ACTIVATED(MigrationStatus.POST_MIGRATING,
                j -> j.then(j.in(MigrationStatus.POST_MIGRATING), done(DEST, AgentStep.POST_MIGRATE_DESTINATION))),
        COMPLETED(MigrationStatus.COMPLETED, j -> j.in(MigrationStatus.COMPLETED)),
        FAILED(MigrationStatus.FAILED, j -> j.in(MigrationStatus.FAILED)),
        CANCELLED(MigrationStatus.CANCELLED, j -> j.in(MigrationStatus.CANCELLED)),
        ERROR(MigrationStatus.ERROR, j -> j.in(MigrationStatus.ERROR));

        final MigrationStatus status;
        final Function<Journeys, Migration> reach;

        Situation(MigrationStatus status, Function<Journeys, Migration> reach) {
            this.status = status;
            this.reach = reach;
        }
    }

    /** What must happen: the status after and the orders, or ignored (null). {@code ANY} orders: not checked. */
    record Expect(MigrationStatus status, List<String> effects) {
        static final List<String> ANY = List.of("*");
    }

    private static final Expect IGNORED = null;
    private static final String ROLLBACK = "ROLLBACK_DESTINATION@" + DEST;
    private static final String[] FINISH = {"POST_MIGRATE_DESTINATION@" + DEST, "CLEANUP_SOURCE@" + SOURCE};

    private static Expect to(MigrationStatus status, String... effects) {
        return new Expect(status, List.of(effects));
    }

    private static final Map<Situation, Map<In, Expect>> TABLE = new EnumMap<>(Situation.class);

    private static void row(Situation s, Object... inputAndExpect) {
        for (int i = 0; i < inputAndExpect.length; i += 2) {
            TABLE.get(s).put((In) inputAndExpect[i], (Expect) inputAndExpect[i + 1]);
        }
    }

    static {
        for (Situation s : Situation.values()) {
            Map<In, Expect> row = new EnumMap<>(In.class);
            for (In in : In.values()) {
                row.put(in, IGNORED);
            }
            TABLE.put(s, row);
        }
        row(Situation.ACCEPTED, In.ABORT, to(CANCELLED));
        row(Situation.QUEUED, In.ABORT, to(CANCELLED));

        row(Situation.PREPARING_SCHEDULING,
                In.CLAIMED, to(PREPARING, "PREPARE_DESTINATION@" + DEST),
                In.NO_VALID_HOST, to(FAILED),
                In.ABORT, to(CANCELLED));
        row(Situation.PREPARING_DESTINATION,
                In.PREPARE_DONE, to(PREPARING, "CHECK_SOURCE@" + SOURCE),
                In.PREPARE_REFUSED, to(PREPARING, ROLLBACK, "PREPARE_DESTINATION@" + ALTERNATE),
                In.ABORT, to(CANCELLED, ROLLBACK));
        row(Situation.PREPARING_SOURCE_CHECK,
                In.CHECK_SOURCE_DONE, to(PREPARING, "START_MIGRATION@" + SOURCE),
                In.CHECK_SOURCE_REFUSED, to(FAILED, ROLLBACK),
                In.ABORT, to(CANCELLED, ROLLBACK));
        row(Situation.PREPARING_STARTING,
                In.START_DONE, to(RUNNING),
                In.START_REFUSED, to(FAILED, ROLLBACK),
                In.ABORT, to(PREPARING));
        row(Situation.PREPARING_STARTING_ABORTED,
                In.START_DONE, to(RUNNING, "ABORT_JOB@" + SOURCE),
                In.START_REFUSED, to(CANCELLED, ROLLBACK));
        // the job's end overtook the start's answer (or a restarted conductor heard it announced again): it ran
        for (Situation starting : List.of(Situation.PREPARING_STARTING, Situation.PREPARING_STARTING_ABORTED)) {
            row(starting,
                    In.JOB_COMPLETED, to(POST_MIGRATING, FINISH),
                    In.JOB_FAILED, to(FAILED, ROLLBACK),
                    In.JOB_CANCELLED, to(CANCELLED, ROLLBACK),
                    In.JOB_GUEST_LOST, to(ERROR));
        }

        for (Situation running : List.of(Situation.RUNNING, Situation.RUNNING_ABORTING, Situation.RUNNING_PROBED)) {
            row(running,
                    In.PROGRESS, new Expect(RUNNING, Expect.ANY),
                    In.PROGRESS_POST_COPY, to(RUNNING_POST_COPY),
                    In.SWITCHED_TO_POST_COPY, to(RUNNING_POST_COPY),
                    In.JOB_COMPLETED, to(POST_MIGRATING, FINISH),
                    In.JOB_FAILED, to(FAILED, ROLLBACK),
                    In.JOB_CANCELLED, to(CANCELLED, ROLLBACK),
                    In.JOB_GUEST_LOST, to(ERROR));
        }
        row(Situation.RUNNING,
                In.ABORT, to(RUNNING, "ABORT_JOB@" + SOURCE),
                In.FORCE_COMPLETE, to(RUNNING, "FORCE_COMPLETE@" + SOURCE));
        row(Situation.RUNNING_ABORTING, In.PROGRESS, to(RUNNING));
        row(Situation.RUNNING_PROBED,
                In.PROBE_DONE, to(RUNNING),
                In.PROBE_REFUSED, to(ERROR),
                In.ABORT, to(RUNNING, "ABORT_JOB@" + SOURCE),
                In.FORCE_COMPLETE, to(RUNNING, "FORCE_COMPLETE@" + SOURCE));

        row(Situation.RUNNING_POST_COPY,
                In.PROGRESS, to(RUNNING_POST_COPY),
                In.PROGRESS_POST_COPY, to(RUNNING_POST_COPY),
                In.JOB_COMPLETED, to(POST_MIGRATING, FINISH),
                In.JOB_FAILED, to(ERROR),
                In.JOB_CANCELLED, to(ERROR),
                In.JOB_GUEST_LOST, to(ERROR));

        row(Situation.POST_MIGRATING,
                In.POST_MIGRATE_DONE, to(POST_MIGRATING),
                In.POST_MIGRATE_FAILED, to(ERROR),
                In.CLEANUP_DONE, to(POST_MIGRATING),
                In.CLEANUP_FAILED, to(ERROR));
        row(Situation.POST_MIGRATING_ACTIVATED,
                In.CLEANUP_DONE, to(COMPLETED),
                In.CLEANUP_FAILED, to(ERROR));
    }

    static Stream<Arguments> everySituationAndInput() {
        List<Arguments> all = new ArrayList<>();
        for (Situation s : Situation.values()) {
            for (In in : In.values()) {
                all.add(Arguments.of(s, in, TABLE.get(s).get(in)));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @MethodSource("everySituationAndInput")
    void decidesEveryInputInEverySituationAsTheTableSays(Situation situation, In in, Expect expected) {
        // given
        Journeys journeys = new Journeys();
        Migration m = situation.reach.apply(journeys);
        assertThat(m.status()).isEqualTo(situation.status);

        // when
        Step step = journeys.process.decide(m, in.input.get());

        // then
        if (expected == IGNORED) {
            assertThat(step.records()).as("records").isEmpty();
            assertThat(step.effects()).as("effects").isEmpty();
            assertThat(step.migration().status()).isEqualTo(situation.status);
            return;
        }
        assertThat(step.migration().status()).isEqualTo(expected.status());
        if (expected.effects() != Expect.ANY) {
            assertThat(names(step.effects())).isEqualTo(expected.effects());
        }
        if (expected.status() != situation.status) {
            assertThat(step.records()).last().extracting(Migration::status).isEqualTo(expected.status());
            Migration before = m;
            for (Migration record : step.records()) {
                // each transition recorded, one sequence further, one the lifecycle allows
                boolean moved = record.status() != before.status();
                assertThat(record.sequence()).as("sequence of %s", record.status())
                        .isEqualTo(before.sequence() + (moved ? 1 : 0));
                assertThat(!moved || before.status().canMoveTo(record.status())).as("%s -> %s", before.status(),
                        record.status()).isTrue();
                before = record;
            }
            assertThat(step.records().getLast().reason() != null || !expected.status().isTerminal()
                    || expected.status() == COMPLETED).as("a terminal status other than completed says why").isTrue();
        }
    }

    @ParameterizedTest(name = "{0} + {1} twice")
    @MethodSource("everySituationAndInput")
    void aSecondDeliveryOfTheSameInputChangesNothingMore(Situation situation, In in, Expect ignored) {
        // given the input delivered once
        Journeys journeys = new Journeys();
        MigrationInput input = in.input.get();
        Migration once = journeys.process.decide(situation.reach.apply(journeys), input).migration();

        // when it is delivered again
        Step again = journeys.process.decide(once, input);

        // then no new status and no new order (progress readings may repeat what they carry: not checked)
        if (in == In.PROGRESS) {
            return;
        }
        assertThat(again.migration().status()).isEqualTo(once.status());
        assertThat(again.records()).extracting(Migration::status).allMatch(s -> s == once.status());
        assertThat(again.effects()).as("orders on a second delivery").isEmpty();
    }

    static Stream<Arguments> everyStatusPair() {
        return Stream.of(MigrationStatus.values())
                .flatMap(from -> Stream.of(MigrationStatus.values()).map(to -> Arguments.of(from, to)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyStatusPair")
    void allowsOnlyTheTransitionsOfTheLifecycleAndNamesBothStatusesOtherwise(MigrationStatus from, MigrationStatus to) {
        // given
        Migration m = new Journeys().in(from);

        // when / then
        if (from.next().contains(to)) {
            assertThat(m.moveTo(to, "why", at(99)).status()).isEqualTo(to);
        } else {
            assertThatThrownBy(() -> m.moveTo(to, "why", at(99)))
                    .isInstanceOf(IllegalTransitionException.class)
                    .hasMessageContaining(from.novaName()).hasMessageContaining(to.novaName());
        }
    }
}
