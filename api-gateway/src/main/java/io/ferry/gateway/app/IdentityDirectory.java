package io.ferry.gateway.app;

import java.util.List;
import java.util.Optional;

/**
 * Users, projects and role assignments of the embedded identity service, from configuration. One domain,
 * {@code default} ("Default"), as DevStack has; a user's roles hold on its project and, for a domain-scoped token,
 * on the domain.
 */
public record IdentityDirectory(List<User> users, List<Project> projects) {

    public static final String DEFAULT_DOMAIN_ID = "default";
    public static final String DEFAULT_DOMAIN_NAME = "Default";

    /** A user: the password only as a hash. */
    public record User(String id, String name, String passwordHash, String projectId, List<String> roles) {
        public User {
            roles = List.copyOf(roles);
        }

        @Override
        public String toString() {
            return "User[" + name + "]";
        }
    }

    /** A project. */
    public record Project(String id, String name) {
    }

    public IdentityDirectory {
        users = List.copyOf(users);
        projects = List.copyOf(projects);
    }

    public Optional<User> userByName(String name) {
        return users.stream().filter(u -> u.name().equals(name)).findFirst();
    }

    public Optional<User> userById(String id) {
        return users.stream().filter(u -> u.id().equals(id)).findFirst();
    }

    public Optional<Project> projectByName(String name) {
        return projects.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public Optional<Project> projectById(String id) {
        return projects.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    public static boolean isDefaultDomain(String idOrName) {
        return idOrName == null || DEFAULT_DOMAIN_ID.equals(idOrName) || DEFAULT_DOMAIN_NAME.equals(idOrName);
    }
}
