package io.ferry.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.agent.domain.CompletionDeadline.LocalAction;
import io.ferry.agent.domain.CompletionDeadline.TimeoutAction;
import io.ferry.agent.domain.JobReading.JobPhase;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When the source's own deadline acts, and how: job time × phase × the conductor's word × the timeout action. */
class CompletionDeadlineTest {

    @ParameterizedTest(name = "{0} s, {1}, conductor acted {2}, {3}, post-copy permitted {4} -> {5}")
    @CsvSource({
            "30, PRE_COPY, false, ABORT, false, ",
            "31, PRE_COPY, false, ABORT, false, ABORT",
            "31, SETUP, false, ABORT, false, ABORT",
            "31, PAUSED, false, ABORT, false, ABORT",
            "31, POST_COPY, false, ABORT, true, ",
            "31, PRE_COPY, true, ABORT, false, ",
            "31, PRE_COPY, false, FORCE_COMPLETE, true, SWITCH_TO_POST_COPY",
            "31, PRE_COPY, false, FORCE_COMPLETE, false, FORCE_COMPLETE",
            "31, POST_COPY, false, FORCE_COMPLETE, true, ",
            "900, PRE_COPY, true, FORCE_COMPLETE, true, ",
    })
    void actsOnlyPastTheBudgetOutsidePostCopyAndWhenTheConductorHasNotActed(long elapsedSeconds, JobPhase phase,
                                                                           boolean conductorActed,
                                                                           TimeoutAction action,
                                                                           boolean postCopyPermitted,
                                                                           LocalAction expected) {
        // given a 30 s budget
        CompletionDeadline deadline = new CompletionDeadline(Duration.ofSeconds(30), action, postCopyPermitted);

        // when
        Optional<LocalAction> due = deadline.due(reading(elapsedSeconds, phase), conductorActed);

        // then
        assertThat(due).isEqualTo(Optional.ofNullable(expected));
    }

    @Test
    void theBudgetIsTheDeadlineMinusTheOrdersTimeWhateverThisHostsClockSays() {
        // given an order sent at t = 1,000,000 ms (conductor's clock) with a deadline 3,260 s later
        CompletionDeadline deadline = CompletionDeadline.fromOrder(1_000_000 + 3_260_000, 1_000_000,
                "force_complete", true);

        // then
        assertThat(deadline.budget()).isEqualTo(Duration.ofSeconds(3_260));
        assertThat(deadline.action()).isEqualTo(TimeoutAction.FORCE_COMPLETE);
        assertThat(CompletionDeadline.fromOrder(0, 1_000_000, "abort", false).enabled()).isFalse();
        assertThat(CompletionDeadline.fromOrder(5, 10, "abort", false).due(reading(1, JobPhase.PRE_COPY), false))
                .contains(LocalAction.ABORT);
    }

    @Test
    void noDeadlineNeverActs() {
        assertThat(CompletionDeadline.NONE.due(reading(1_000_000, JobPhase.PRE_COPY), false)).isEmpty();
    }

    private static JobReading reading(long elapsedSeconds, JobPhase phase) {
        return new JobReading(0, elapsedSeconds * 1000, 3, 8L << 30, 4L << 30, 4L << 30, 1_500_000_000L,
                125_000_000L, 300, -1, 0, phase);
    }
}
