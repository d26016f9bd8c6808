package io.ferry.agent.adapter.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.agent.adapter.libvirt.LibvirtEvents.Lifecycle;
import org.junit.jupiter.api.Test;

/** Which of libvirt's lifecycle events confirm that a domain runs here, or has left. */
class LifecycleEventTest {

    private static Lifecycle event(int event, int detail) {
        return new Lifecycle(event, detail, 0);
    }

    @Test
    void anIncomingMigrationRunsOnceResumedNotWhenItsPausedQemuStarts() {
        assertThat(event(Lifecycle.STARTED, Lifecycle.STARTED_MIGRATED).runs()).isFalse();
        assertThat(event(Lifecycle.RESUMED, 1).runs()).as("resumed (migrated)").isTrue();
        assertThat(event(Lifecycle.RESUMED, 3).runs()).as("resumed (post-copy)").isTrue();
        assertThat(event(Lifecycle.STARTED, 0).runs()).as("booted").isTrue();
        assertThat(event(Lifecycle.SUSPENDED, 1).runs()).isFalse();
    }

    @Test
    void aDomainHasLeftOnceStoppedUndefinedOrCrashedButNotWhilePausedForTheSwitchover() {
        assertThat(event(Lifecycle.STOPPED, Lifecycle.STOPPED_MIGRATED).gone()).isTrue();
        assertThat(event(Lifecycle.UNDEFINED, 0).gone()).isTrue();
        assertThat(event(Lifecycle.CRASHED, 0).gone()).isTrue();
        assertThat(event(Lifecycle.SUSPENDED, 1).gone()).as("suspended (migrated)").isFalse();
        assertThat(event(Lifecycle.RESUMED, 1).gone()).isFalse();
        assertThat(event(Lifecycle.STOPPED, Lifecycle.STOPPED_MIGRATED).name()).isEqualTo("stopped/3");
    }
}
