package io.ferry.gateway.domain;

/**
 * Nova's default policy for the APIs the gateway serves: the rule name Nova uses, and who passes it. Admin-only
 * rules need the {@code admin} role; project rules pass for any token scoped to a project (ownership of the
 * resource is checked where the resource is read). Ferry's own APIs ({@code /ferry/v1}: drains, the console's fleet
 * view and its event stream) are admin-only, under rule names of the same shape.
 */
public enum ApiPolicy {

    MIGRATE_LIVE("os_compute_api:os-migrate-server:migrate_live", true),
    SERVER_MIGRATIONS_INDEX("os_compute_api:servers:migrations:index", true),
    SERVER_MIGRATIONS_SHOW("os_compute_api:servers:migrations:show", true),
    SERVER_MIGRATIONS_FORCE_COMPLETE("os_compute_api:servers:migrations:force_complete", true),
    SERVER_MIGRATIONS_DELETE("os_compute_api:servers:migrations:delete", true),
    MIGRATIONS_INDEX("os_compute_api:os-migrations:index", true),
    SERVICES_LIST("os_compute_api:os-services:list", true),
    SERVICES_UPDATE("os_compute_api:os-services:update", true),
    HYPERVISORS_LIST("os_compute_api:os-hypervisors:list", true),
    HYPERVISORS_DETAIL("os_compute_api:os-hypervisors:list-detail", true),
    HYPERVISORS_SHOW("os_compute_api:os-hypervisors:show", true),
    HYPERVISORS_STATISTICS("os_compute_api:os-hypervisors:statistics", true),
    HYPERVISORS_SEARCH("os_compute_api:os-hypervisors:search", true),
    HYPERVISORS_SERVERS("os_compute_api:os-hypervisors:servers", true),
    SERVERS_ALL_TENANTS("os_compute_api:servers:index:get_all_tenants", true),
    SERVERS_INDEX("os_compute_api:servers:index", false),
    SERVERS_SHOW("os_compute_api:servers:show", false),
    SERVERS_EXTENDED_ATTRIBUTES("os_compute_api:os-extended-server-attributes", true),
    DRAINS_CREATE("ferry:drains:create", true),
    DRAINS_INDEX("ferry:drains:index", true),
    DRAINS_SHOW("ferry:drains:show", true),
    DRAINS_DELETE("ferry:drains:delete", true),
    FLEET_SHOW("ferry:fleet:show", true);

    private final String rule;
    private final boolean adminOnly;

    ApiPolicy(String rule, boolean adminOnly) {
        this.rule = rule;
        this.adminOnly = adminOnly;
    }

    public String rule() {
        return rule;
    }

    public boolean allows(Principal principal) {
        return adminOnly ? principal.isAdmin() : principal.isAdmin() || principal.projectId() != null;
    }

    /** Nova's refusal text. */
    public String refusal() {
        return "Policy doesn't allow " + rule + " to be performed.";
    }
}
