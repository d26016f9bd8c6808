package io.ferry.gateway.domain;

import java.util.List;

/**
 * Who a request acts for, as a token says: the user, the scope (a project, or a domain) and the roles held there.
 *
 * @param projectId null for a domain-scoped or unscoped token
 * @param domainScope the domain a domain-scoped token is scoped to, else null
 */
public record Principal(String userId, String userName, String userDomainId, String projectId, String projectName,
                        String domainScope, List<String> roles) {

    public Principal {
        roles = List.copyOf(roles);
    }

    /** Nova's {@code role:admin}. */
    public boolean isAdmin() {
        return roles.contains("admin");
    }

    /** Whether this principal's project owns a resource of {@code ownerProjectId}. */
    public boolean owns(String ownerProjectId) {
        return projectId != null && projectId.equals(ownerProjectId);
    }
}
