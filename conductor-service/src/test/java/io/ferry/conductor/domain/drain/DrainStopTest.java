package io.ferry.conductor.domain.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DrainStopTest {

    @Test
    void saysWhatTheStopDoesWhileStoppingAndWhatItDidOnceStopped() {
        // given
        DrainStop stop = new DrainStop("window closed", true, 2, 0, 1, 1, 3);

        // then
        assertThat(stop.whileStopping()).isEqualTo("window closed: stopping: 2 aborting, 1 in post-copy finishing, "
                + "1 post-migrating finishing, 3 not started cancelled");
        assertThat(stop.onceStopped()).isEqualTo("window closed: stopped: 2 aborted, 1 in post-copy finished, "
                + "1 post-migrating finished, 3 not started cancelled");
        assertThat(stop.anyUnderWay()).isTrue();
    }

    @Test
    void aStopWithNothingUnderWayNamesOnlyTheReasonAndABlankReasonIsTheOperators() {
        assertThat(DrainStop.nothingUnderWay(" ", false).onceStopped()).isEqualTo("stopped by the operator: stopped");
        assertThat(DrainStop.nothingUnderWay(null, true).anyUnderWay()).isFalse();
        assertThat(new DrainStop("why", false, 0, 2, 0, 0, 0).onceStopped())
                .isEqualTo("why: stopped: 2 running in pre-copy finished");
    }

    @Test
    void refusesAbortedStreamsWithoutAbortRunningAndNegativeCounts() {
        assertThatThrownBy(() -> new DrainStop("why", false, 1, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DrainStop("why", true, 0, 0, -1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
