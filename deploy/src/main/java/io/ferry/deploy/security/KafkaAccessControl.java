package io.ferry.deploy.security;

import io.ferry.schemas.Topics;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Least privilege on a Ferry Kafka cluster: one SCRAM principal per service and per host, and ACLs so each can read
 * and write only its own topics and groups. An agent reads only {@code ferry.host.<its host>.commands}; the gateway
 * writes operator commands and the hosts' service-status commands; only the conductor writes migration records and
 * the scheduler its claims. Everyone reads and writes {@code ferry.schemas} (writer schemas, ADR 7).
 */
public final class KafkaAccessControl {

    /** Who a principal is and what it may do. */
    public record Principal(String name, List<AclBinding> acls) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private KafkaAccessControl() {
    }

    public static String principalOfHost(String host) {
        return "ferry-agent-" + host;
    }

    /** The principals and their ACLs for a fleet of {@code hosts}. */
    public static List<Principal> plan(List<String> hosts) {
        List<Principal> principals = new ArrayList<>();
        principals.add(new Principal("ferry-gateway", join(
                write("ferry-gateway", Topics.MIGRATION_COMMANDS),
                // os-services disable/enable/force-down: SetServiceStatus to the host's agent
                hostCommandWrites("ferry-gateway", hosts),
                read("ferry-gateway", Topics.HOST_EVENTS, Topics.MIGRATIONS, Topics.MIGRATION_PROGRESS, Topics.DRAINS),
                write("ferry-gateway", Topics.DLQ),
                groupPrefix("ferry-gateway", "ferry-gateway"))));
        principals.add(new Principal("ferry-conductor", join(
                read("ferry-conductor", Topics.MIGRATION_COMMANDS, Topics.SCHEDULER_REPLIES, Topics.MIGRATION_PROGRESS,
                        Topics.HOST_EVENTS, Topics.MIGRATIONS, Topics.DRAINS),
                // a drain expands into LiveMigrate commands; its record lives on ferry.drains
                write("ferry-conductor", Topics.MIGRATIONS, Topics.SCHEDULER_REQUESTS, Topics.DRAINS,
                        Topics.MIGRATION_COMMANDS, Topics.DLQ),
                hostCommandWrites("ferry-conductor", hosts),
                groupPrefix("ferry-conductor", "ferry-conductor"))));
        principals.add(new Principal("ferry-scheduler", join(
                read("ferry-scheduler", Topics.SCHEDULER_REQUESTS, Topics.HOST_EVENTS, Topics.MIGRATIONS,
                        Topics.SCHEDULER_CLAIMS),
                write("ferry-scheduler", Topics.SCHEDULER_REPLIES, Topics.SCHEDULER_CLAIMS, Topics.DLQ),
                groupPrefix("ferry-scheduler", "ferry-scheduler"))));
        for (String host : hosts) {
            String principal = principalOfHost(host);
            principals.add(new Principal(principal, join(
                    read(principal, Topics.hostCommands(host)),
                    write(principal, Topics.HOST_EVENTS, Topics.MIGRATION_PROGRESS, Topics.DLQ),
                    List.of(acl(principal, ResourceType.GROUP, "ferry-agent-" + host, PatternType.LITERAL, AclOperation.READ)))));
        }
        // every writer announces its schemas and every reader may look up a newer writer's (ADR 7)
        return principals.stream().map(p -> new Principal(p.name(), join(p.acls(), read(p.name(), Topics.SCHEMAS),
                write(p.name(), Topics.SCHEMAS)))).toList();
    }

    /**
     * Creates (or updates) each principal's SCRAM credential with a new random password, and its ACLs; returns the
     * passwords by principal, for the operator to hand to each service. Never logs them.
     */
    public static Map<String, String> provision(Admin admin, List<Principal> principals) throws Exception {
        Map<String, String> passwords = new LinkedHashMap<>();
        List<UserScramCredentialAlteration> alterations = new ArrayList<>();
        List<AclBinding> acls = new ArrayList<>();
        for (Principal principal : principals) {
            String password = newPassword();
            passwords.put(principal.name(), password);
            alterations.add(new UserScramCredentialUpsertion(principal.name(),
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password));
            acls.addAll(principal.acls());
        }
        admin.alterUserScramCredentials(alterations).all().get(30, TimeUnit.SECONDS);
        admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        return passwords;
    }

    private static String newPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static List<AclBinding> read(String principal, String... topics) {
        List<AclBinding> acls = new ArrayList<>();
        for (String topic : topics) {
            acls.add(acl(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
            acls.add(acl(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE));
        }
        return acls;
    }

    private static List<AclBinding> write(String principal, String... topics) {
        List<AclBinding> acls = new ArrayList<>();
        for (String topic : topics) {
            acls.add(acl(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
            acls.add(acl(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE));
        }
        return acls;
    }

    private static List<AclBinding> hostCommandWrites(String principal, List<String> hosts) {
        return write(principal, hosts.stream().map(Topics::hostCommands).toArray(String[]::new));
    }

    private static List<AclBinding> groupPrefix(String principal, String prefix) {
        return List.of(acl(principal, ResourceType.GROUP, prefix, PatternType.PREFIXED, AclOperation.READ));
    }

    private static AclBinding acl(String principal, ResourceType type, String name, PatternType pattern,
                                  AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW));
    }

    @SafeVarargs
    private static List<AclBinding> join(List<AclBinding>... parts) {
        List<AclBinding> all = new ArrayList<>();
        for (List<AclBinding> part : parts) {
            all.addAll(part);
        }
        return all;
    }
}
