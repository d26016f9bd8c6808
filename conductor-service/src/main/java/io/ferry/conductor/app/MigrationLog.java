package io.ferry.conductor.app;

import io.ferry.conductor.domain.Migration;

/** Where every transition is recorded before anything that depends on it goes out ({@code ferry.migrations}). */
public interface MigrationLog {

    /** Records the migration durably; returns only once the record is stored. */
    void record(Migration migration, String causationId);
}
