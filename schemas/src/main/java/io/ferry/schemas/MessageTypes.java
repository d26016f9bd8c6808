package io.ferry.schemas;

import io.ferry.schemas.host.AbortJob;
import io.ferry.schemas.host.CheckDestination;
import io.ferry.schemas.host.CheckSource;
import io.ferry.schemas.host.CleanupSource;
import io.ferry.schemas.host.ForceComplete;
import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.host.InstanceState;
import io.ferry.schemas.host.PostMigrateDestination;
import io.ferry.schemas.host.PrepareDestination;
import io.ferry.schemas.host.RollbackDestination;
import io.ferry.schemas.host.SetMaxDowntime;
import io.ferry.schemas.host.SetServiceStatus;
import io.ferry.schemas.host.StartMigration;
import io.ferry.schemas.host.SwitchToPostCopy;
import io.ferry.schemas.migration.AbortDrain;
import io.ferry.schemas.migration.AbortMigration;
import io.ferry.schemas.migration.AgentReply;
import io.ferry.schemas.migration.DrainHost;
import io.ferry.schemas.migration.DrainRecord;
import io.ferry.schemas.migration.ForceCompleteMigration;
import io.ferry.schemas.migration.LiveMigrate;
import io.ferry.schemas.migration.MigrationJobEnded;
import io.ferry.schemas.migration.MigrationProgress;
import io.ferry.schemas.migration.MigrationRecord;
import io.ferry.schemas.scheduler.ClaimRecord;
import io.ferry.schemas.scheduler.DestinationClaimed;
import io.ferry.schemas.scheduler.NoValidHost;
import io.ferry.schemas.scheduler.SelectDestination;
import java.util.List;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Which top-level messages exist and which topic may carry which: a consumer refuses (dead-letters) a well-formed
 * message of a type its topic does not carry.
 */
public final class MessageTypes {

    public static final List<Class<? extends SpecificRecordBase>> MIGRATION_COMMANDS =
            List.of(LiveMigrate.class, AbortMigration.class, ForceCompleteMigration.class, DrainHost.class,
                    AbortDrain.class);
    public static final List<Class<? extends SpecificRecordBase>> SCHEDULER_REQUESTS = List.of(SelectDestination.class);
    public static final List<Class<? extends SpecificRecordBase>> SCHEDULER_REPLIES =
            List.of(DestinationClaimed.class, NoValidHost.class);
    public static final List<Class<? extends SpecificRecordBase>> SCHEDULER_CLAIMS = List.of(ClaimRecord.class);
    public static final List<Class<? extends SpecificRecordBase>> HOST_COMMANDS = List.of(
            CheckDestination.class, CheckSource.class, PrepareDestination.class, StartMigration.class,
            SetMaxDowntime.class, SwitchToPostCopy.class, ForceComplete.class, AbortJob.class,
            PostMigrateDestination.class, CleanupSource.class, RollbackDestination.class, SetServiceStatus.class);
    public static final List<Class<? extends SpecificRecordBase>> HOST_EVENTS =
            List.of(HostInventory.class, InstanceState.class);
    public static final List<Class<? extends SpecificRecordBase>> MIGRATION_PROGRESS =
            List.of(MigrationProgress.class, AgentReply.class, MigrationJobEnded.class);
    public static final List<Class<? extends SpecificRecordBase>> MIGRATIONS = List.of(MigrationRecord.class);
    public static final List<Class<? extends SpecificRecordBase>> DRAINS = List.of(DrainRecord.class);

    /** Every top-level message type. */
    public static final List<Class<? extends SpecificRecordBase>> ALL = List.of(
            LiveMigrate.class, AbortMigration.class, ForceCompleteMigration.class, DrainHost.class, AbortDrain.class,
            SelectDestination.class, DestinationClaimed.class, NoValidHost.class, ClaimRecord.class,
            CheckDestination.class, CheckSource.class, PrepareDestination.class, StartMigration.class,
            SetMaxDowntime.class, SwitchToPostCopy.class, ForceComplete.class, AbortJob.class,
            PostMigrateDestination.class, CleanupSource.class, RollbackDestination.class, SetServiceStatus.class,
            HostInventory.class, InstanceState.class,
            MigrationProgress.class, AgentReply.class, MigrationJobEnded.class,
            MigrationRecord.class, DrainRecord.class);

    private MessageTypes() {
    }

    /** The message types a topic may carry. */
    public static Set<Class<? extends SpecificRecordBase>> carriedBy(String topic) {
        return switch (topic) {
            case Topics.MIGRATION_COMMANDS -> Set.copyOf(MIGRATION_COMMANDS);
            case Topics.SCHEDULER_REQUESTS -> Set.copyOf(SCHEDULER_REQUESTS);
            case Topics.SCHEDULER_REPLIES -> Set.copyOf(SCHEDULER_REPLIES);
            case Topics.SCHEDULER_CLAIMS -> Set.copyOf(SCHEDULER_CLAIMS);
            case Topics.HOST_EVENTS -> Set.copyOf(HOST_EVENTS);
            case Topics.MIGRATION_PROGRESS -> Set.copyOf(MIGRATION_PROGRESS);
            case Topics.MIGRATIONS -> Set.copyOf(MIGRATIONS);
            case Topics.DRAINS -> Set.copyOf(DRAINS);
            default -> Topics.hostOfCommandTopic(topic) != null ? Set.copyOf(HOST_COMMANDS) : Set.copyOf(ALL);
        };
    }
}
