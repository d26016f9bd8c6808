package io.ferry.conductor.app;

import io.ferry.conductor.domain.Migration;

/** Where every transition is recorded before anything that depends on it goes out ({@code ferry.migrations}). */
public interface MigrationLog {

    /**
     * Records the migration durably. The adapter may return before the broker confirms, but no effect carried out
     * after this call leaves before the record is stored, and the input that caused it is not acknowledged before.
     */
    void record(Migration migration, String causationId);
}
