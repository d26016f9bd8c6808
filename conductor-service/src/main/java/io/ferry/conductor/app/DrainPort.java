package io.ferry.conductor.app;

import io.ferry.conductor.domain.drain.Drain;
import io.ferry.conductor.domain.drain.DrainEntry;
import java.util.List;

/** Where drains are recorded ({@code ferry.drains}) and how a drain asks for its migrations. */
public interface DrainPort {

    /** Records the drain durably, with the same ordering promise as {@link MigrationLog#record}. */
    void record(Drain drain, String causationId);

    /**
     * Asks for the drain's migrations, each as a command of its own ({@code LiveMigrate} tagged with the drain id on
     * {@code ferry.migration.commands}), so each gets its id from its own log position like any other; they leave
     * after the drain's record is stored.
     */
    void requestMigrations(Drain drain, List<DrainEntry> entries, String causationId);

    /**
     * Disables the host's compute service with the reason (os-services semantics: the scheduler's ComputeFilter
     * skips it) before any of the drain's migrations is asked for; an operator enables it again with
     * {@code PUT /os-services/{id}}.
     */
    default void disableHost(String host, String reason, String causationId) {
    }

    /** No drains: for conductors and tests that never drain. */
    DrainPort NONE = new DrainPort() {
        @Override
        public void record(Drain drain, String causationId) {
        }

        @Override
        public void requestMigrations(Drain drain, List<DrainEntry> entries, String causationId) {
        }
    };
}
