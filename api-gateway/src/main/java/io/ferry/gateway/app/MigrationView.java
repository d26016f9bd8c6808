package io.ferry.gateway.app;

import io.ferry.schemas.migration.MigrationProgress;
import io.ferry.schemas.migration.MigrationRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Migrations as {@code ferry.migrations} records them, with the newest progress reading of each running one, and
 * the requests this gateway published that no record answers yet (so a second request is refused at once).
 */
public class MigrationView {

    private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled", "error");

    private final Map<String, MigrationRecord> byUuid = new ConcurrentHashMap<>();
    private final Map<String, MigrationProgress> progress = new ConcurrentHashMap<>();
    private final Map<String, String> requested = new ConcurrentHashMap<>();

    public void apply(MigrationRecord record) {
        byUuid.merge(record.getUuid(), record, (old, neu) -> neu.getSequence() >= old.getSequence() ? neu : old);
        requested.remove(record.getInstance().getUuid(), record.getUuid());
        if (TERMINAL.contains(record.getStatus())) {
            progress.remove(record.getUuid());
        }
    }

    public void apply(MigrationProgress reading) {
        MigrationRecord record = byUuid.get(reading.getMigrationUuid());
        if (record == null || !TERMINAL.contains(record.getStatus())) {
            progress.merge(reading.getMigrationUuid(), reading,
                    (old, neu) -> neu.getReadingTime() >= old.getReadingTime() ? neu : old);
        }
    }

    /** Remembers a request this gateway published; false when one for the instance is already pending. */
    public boolean markRequested(String instanceUuid, String migrationUuid) {
        return requested.putIfAbsent(instanceUuid, migrationUuid) == null;
    }

    public void forgetRequest(String instanceUuid, String migrationUuid) {
        requested.remove(instanceUuid, migrationUuid);
    }

    public static boolean isInProgress(MigrationRecord record) {
        return !TERMINAL.contains(record.getStatus());
    }

    /** The migration in progress for an instance (or a request not yet recorded), if any. */
    public Optional<String> inProgressFor(String instanceUuid) {
        String pending = requested.get(instanceUuid);
        if (pending != null) {
            return Optional.of(pending);
        }
        return byUuid.values().stream()
                .filter(r -> r.getInstance().getUuid().equals(instanceUuid) && isInProgress(r))
                .map(MigrationRecord::getUuid).findFirst();
    }

    public Optional<MigrationRecord> byUuid(String uuid) {
        return Optional.ofNullable(byUuid.get(uuid));
    }

    public Optional<MigrationProgress> progress(String uuid) {
        return Optional.ofNullable(progress.get(uuid));
    }

    /** All migrations, newest id first (Nova's order). */
    public List<MigrationRecord> all() {
        List<MigrationRecord> all = new ArrayList<>(byUuid.values());
        all.sort(Comparator.comparingLong(MigrationRecord::getId).reversed());
        return all;
    }
}
