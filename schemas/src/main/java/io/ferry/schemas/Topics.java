package io.ferry.schemas;

import java.util.List;

/**
 * Every Kafka topic Ferry uses, its partition count and its clean-up policy: the one place they are named.
 */
public final class Topics {

    /**
     * gateway → conductor, keyed by instance uuid: LiveMigrate, AbortMigration, ForceCompleteMigration; and keyed by
     * host (DrainHost) or drain id (AbortDrain). The conductor publishes a drain's expansion here too: one LiveMigrate
     * per instance, tagged with the drain id, so each gets Nova's integer id from its own log position.
     */
    public static final String MIGRATION_COMMANDS = "ferry.migration.commands";
    /** conductor → scheduler, keyed by migration uuid: SelectDestination. */
    public static final String SCHEDULER_REQUESTS = "ferry.scheduler.requests";
    /** scheduler → conductor, keyed by migration uuid: DestinationClaimed, NoValidHost. */
    public static final String SCHEDULER_REPLIES = "ferry.scheduler.replies";
    /**
     * scheduler → scheduler, keyed by migration uuid, compacted: ClaimRecord after every change of a destination
     * claim (claimed, released, committed); the scheduler rebuilds its claims from it at start.
     */
    public static final String SCHEDULER_CLAIMS = "ferry.scheduler.claims";
    /** agents → scheduler, gateway, keyed by host: HostInventory (also the heartbeat), InstanceState. */
    public static final String HOST_EVENTS = "ferry.host.events";
    /** agents → conductor, keyed by migration uuid: MigrationProgress, AgentReply, MigrationJobEnded. */
    public static final String MIGRATION_PROGRESS = "ferry.migration.progress";
    /** conductor → all, keyed by migration uuid, compacted: MigrationRecord after every transition. */
    public static final String MIGRATIONS = "ferry.migrations";
    /** conductor → all, keyed by drain id, compacted: DrainRecord after every change of a host drain. */
    public static final String DRAINS = "ferry.drains";
    /** any consumer → operators: poison messages with the reason and their origin in headers. */
    public static final String DLQ = "ferry.dlq";
    /**
     * every service → every service, keyed by the schema's 64-bit fingerprint (hex), compacted: the writer schemas
     * in use (Avro schema JSON, not single-object encoded), so a reader can decode a record written by a newer
     * version (see docs/adr/0007-writer-schemas-on-kafka.md).
     */
    public static final String SCHEMAS = "ferry.schemas";

    private static final String HOST_COMMANDS_PREFIX = "ferry.host.";
    private static final String HOST_COMMANDS_SUFFIX = ".commands";
    /** Partitions of each per-host command topic: one is enough, a host's commands are ordered. */
    public static final int HOST_COMMAND_PARTITIONS = 1;

    /** A topic, its partitions, and whether it is compacted. */
    public record TopicSpec(String name, int partitions, boolean compacted) {
    }

    /** The fixed topics (per-host command topics are created by each agent for its own host). */
    public static final List<TopicSpec> FIXED = List.of(
            new TopicSpec(MIGRATION_COMMANDS, 6, false),
            new TopicSpec(SCHEDULER_REQUESTS, 3, false),
            new TopicSpec(SCHEDULER_REPLIES, 3, false),
            new TopicSpec(SCHEDULER_CLAIMS, 3, true),
            new TopicSpec(HOST_EVENTS, 6, true),
            new TopicSpec(MIGRATION_PROGRESS, 6, false),
            new TopicSpec(MIGRATIONS, 6, true),
            new TopicSpec(DRAINS, 3, true),
            new TopicSpec(DLQ, 1, false),
            new TopicSpec(SCHEMAS, 1, true));

    private Topics() {
    }

    /**
     * Nova's integer migration id, derived from where the LiveMigrate command landed on
     * {@link #MIGRATION_COMMANDS}: unique across partitions and stable on replay, with no counter to coordinate.
     */
    public static long migrationId(int partition, long offset) {
        int partitions = FIXED.stream().filter(t -> t.name().equals(MIGRATION_COMMANDS)).findFirst()
                .orElseThrow().partitions();
        return offset * partitions + partition + 1;
    }

    /** {@code ferry.host.<host>.commands}: conductor → the agent of one host, keyed by migration uuid. */
    public static String hostCommands(String host) {
        if (host == null || host.isBlank() || !host.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("not a valid host name for a topic: " + host);
        }
        return HOST_COMMANDS_PREFIX + host + HOST_COMMANDS_SUFFIX;
    }

    /** The spec of a host's command topic. */
    public static TopicSpec hostCommandsSpec(String host) {
        return new TopicSpec(hostCommands(host), HOST_COMMAND_PARTITIONS, false);
    }

    /** The host a per-host command topic belongs to, or null when the topic is not one. */
    public static String hostOfCommandTopic(String topic) {
        if (topic.startsWith(HOST_COMMANDS_PREFIX) && topic.endsWith(HOST_COMMANDS_SUFFIX)
                && topic.length() > HOST_COMMANDS_PREFIX.length() + HOST_COMMANDS_SUFFIX.length()) {
            String host = topic.substring(HOST_COMMANDS_PREFIX.length(), topic.length() - HOST_COMMANDS_SUFFIX.length());
            return "events".equals(host) ? null : host;
        }
        return null;
    }
}
