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
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every status × every input: what the process does (the status it moves to and the orders it sends) or that it
 * ignores the input (no record, no order). And every status × status: which moves the lifecycle allows.
 */
class MigrationProcessTableTest {

    /** The inputs, each as a migration in any status can receive it. */
    enum In {
        CLAIMED(() -> new MigrationInput.DestinationClaimed(DEST, List.of(ALTERNATE), at(2))),
        NO_VALID_HOST(() -> new MigrationInput.NoValidHost("No valid host was found.", at(2))),
        PREPARE_DONE(() -> done(DEST, AgentStep.PREPARE_DESTINATION)),
        START_DONE(() -> done(SOURCE, AgentStep.START_MIGRATION)),
        CLEANUP_DONE(() -> done(SOURCE, AgentStep.CLEANUP_SOURCE)),
        PROGRESS(() -> progress(reading(10, MigrationPhase.PRE_COPY))),
        JOB_COMPLETED(() -> jobEnded(JobOutcome.COMPLETED)),
        JOB_FAILED(() -> jobEnded(JobOutcome.FAILED)),
        JOB_CANCELLED(() -> jobEnded(JobOutcome.CANCELLED)),
        ABORT(() -> new MigrationInput.AbortRequested(at(30))),
        FORCE_COMPLETE(() -> new MigrationInput.ForceCompleteRequested(at(30)));

        final Supplier<MigrationInput> input;

        In(Supplier<MigrationInput> input) {
            this.input = input;
        }
    }

    /** What must happen: the status after and the orders, or ignored (null). {@code ANY} orders: not checked. */
    record Expect(MigrationStatus status, List<String> effects) {
        static final List<String> ANY = List.of("*");
    }

    private static final Expect IGNORED = null;

    private static Expect to(MigrationStatus status, String... effects) {
        return new Expect(status, List.of(effects));
    }

    private static final Map<MigrationStatus, Map<In, Expect>> TABLE = new EnumMap<>(MigrationStatus.class);

    static {
        for (MigrationStatus s : MigrationStatus.values()) {
            Map<In, Expect> row = new EnumMap<>(In.class);
            for (In in : In.values()) {
                row.put(in, IGNORED);
            }
            TABLE.put(s, row);
        }
        TABLE.get(ACCEPTED).put(In.ABORT, to(CANCELLED));
        TABLE.get(QUEUED).put(In.ABORT, to(CANCELLED));

        TABLE.get(PREPARING).put(In.CLAIMED, to(PREPARING, "PREPARE_DESTINATION@" + DEST));
        TABLE.get(PREPARING).put(In.NO_VALID_HOST, to(FAILED));
        TABLE.get(PREPARING).put(In.ABORT, to(CANCELLED));

        TABLE.get(RUNNING).put(In.PROGRESS, new Expect(RUNNING, Expect.ANY));
        TABLE.get(RUNNING).put(In.JOB_COMPLETED, to(POST_MIGRATING, "POST_MIGRATE_DESTINATION@" + DEST,
                "CLEANUP_SOURCE@" + SOURCE));
        TABLE.get(RUNNING).put(In.JOB_FAILED, to(FAILED, "ROLLBACK_DESTINATION@" + DEST));
        TABLE.get(RUNNING).put(In.JOB_CANCELLED, to(CANCELLED, "ROLLBACK_DESTINATION@" + DEST));
        TABLE.get(RUNNING).put(In.ABORT, to(RUNNING, "ABORT_JOB@" + SOURCE));
        TABLE.get(RUNNING).put(In.FORCE_COMPLETE, to(RUNNING, "FORCE_COMPLETE@" + SOURCE));

        TABLE.get(RUNNING_POST_COPY).put(In.PROGRESS, new Expect(RUNNING_POST_COPY, List.of()));
        TABLE.get(RUNNING_POST_COPY).put(In.JOB_COMPLETED, to(POST_MIGRATING, "POST_MIGRATE_DESTINATION@" + DEST,
                "CLEANUP_SOURCE@" + SOURCE));
        TABLE.get(RUNNING_POST_COPY).put(In.JOB_FAILED, to(ERROR));
        TABLE.get(RUNNING_POST_COPY).put(In.JOB_CANCELLED, to(ERROR));

        TABLE.get(POST_MIGRATING).put(In.CLEANUP_DONE, new Expect(POST_MIGRATING, List.of()));
    }

    static Stream<Arguments> everyStatusAndInput() {
        List<Arguments> all = new ArrayList<>();
        for (MigrationStatus s : MigrationStatus.values()) {
            for (In in : In.values()) {
                all.add(Arguments.of(s, in, TABLE.get(s).get(in)));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @MethodSource("everyStatusAndInput")
    void decidesEveryInputInEveryStatusAsTheTableSays(MigrationStatus status, In in, Expect expected) {
        // given
        Journeys journeys = new Journeys();
        Migration m = journeys.in(status);
        assertThat(m.status()).isEqualTo(status);

        // when
        Step step = journeys.process.decide(m, in.input.get());

        // then
        if (expected == IGNORED) {
            assertThat(step.records()).as("records").isEmpty();
            assertThat(step.effects()).as("effects").isEmpty();
            assertThat(step.migration().status()).isEqualTo(status);
            return;
        }
        assertThat(step.migration().status()).isEqualTo(expected.status());
        if (expected.effects() != Expect.ANY) {
            assertThat(names(step.effects())).isEqualTo(expected.effects());
        }
        if (expected.status() != status) {
            assertThat(step.records()).last().extracting(Migration::status).isEqualTo(expected.status());
            assertThat(step.records().getLast().sequence()).isEqualTo(m.sequence() + 1);
        }
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
