package io.ferry.gateway.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code ferry.identity.*}: the embedded Keystone subset, or an external Keystone to validate tokens against.
 *
 * <pre>
 * ferry.identity.mode=local                  # or external
 * ferry.identity.port=5000                   # the identity port (0: any free port, -1: none; /identity on 8774 always)
 * ferry.identity.token-ttl=1h
 * ferry.identity.fernet-key-repository=/etc/ferry/fernet-keys  # Keystone's key_repository layout; unset: a key
 *                                            # of the process's own, so tokens do not outlive a restart
 * ferry.identity.compute-url=                # the catalog's compute endpoint; default http://&lt;host asked&gt;:&lt;port&gt;/v2.1
 * ferry.identity.projects[0].id=admin
 * ferry.identity.projects[0].name=admin
 * ferry.identity.users[0].name=admin
 * ferry.identity.users[0].password-hash=pbkdf2-sha256$...
 * ferry.identity.users[0].project=admin      # the project (id) the user's roles hold on
 * ferry.identity.users[0].roles=admin,member,reader
 * ferry.identity.external.url=https://keystone.example:5000/v3
 * ferry.identity.external.service-token=...  # a token allowed to validate others' tokens
 * </pre>
 */
@ConfigurationProperties("ferry.identity")
public class IdentityProperties {

    public enum Mode { LOCAL, EXTERNAL }

    private Mode mode = Mode.LOCAL;
    private int port = 5000;
    private Duration tokenTtl = Duration.ofHours(1);
    private String fernetKeyRepository;
    /** Where revoked tokens are kept; unset: next to the key repository ({@code <repository>.revoked}). */
    private String revocationFile;
    private String computeUrl;
    private List<ProjectEntry> projects = new ArrayList<>();
    private List<UserEntry> users = new ArrayList<>();
    private External external = new External();

    public static class ProjectEntry {
        private String id;
        private String name;

        public String getId() { return id; }
        public void setId(String id) { this.id = id; }
        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
    }

    public static class UserEntry {
        private String id;
        private String name;
        private String passwordHash;
        private String project;
        private List<String> roles = new ArrayList<>();

        public String getId() { return id; }
        public void setId(String id) { this.id = id; }
        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getPasswordHash() { return passwordHash; }
        public void setPasswordHash(String passwordHash) { this.passwordHash = passwordHash; }
        public String getProject() { return project; }
        public void setProject(String project) { this.project = project; }
        public List<String> getRoles() { return roles; }
        public void setRoles(List<String> roles) { this.roles = roles; }
    }

    public static class External {
        private String url;
        private String serviceToken;
        private Duration cacheFor = Duration.ofMinutes(1);

        public String getUrl() { return url; }
        public void setUrl(String url) { this.url = url; }
        public String getServiceToken() { return serviceToken; }
        public void setServiceToken(String serviceToken) { this.serviceToken = serviceToken; }
        public Duration getCacheFor() { return cacheFor; }
        public void setCacheFor(Duration cacheFor) { this.cacheFor = cacheFor; }
    }

    public Mode getMode() { return mode; }
    public void setMode(Mode mode) { this.mode = mode; }
    public int getPort() { return port; }
    public void setPort(int port) { this.port = port; }
    public Duration getTokenTtl() { return tokenTtl; }
    public void setTokenTtl(Duration tokenTtl) { this.tokenTtl = tokenTtl; }
    public String getFernetKeyRepository() { return fernetKeyRepository; }
    public void setFernetKeyRepository(String fernetKeyRepository) { this.fernetKeyRepository = fernetKeyRepository; }
    public String getRevocationFile() { return revocationFile; }
    public void setRevocationFile(String revocationFile) { this.revocationFile = revocationFile; }
    public String getComputeUrl() { return computeUrl; }
    public void setComputeUrl(String computeUrl) { this.computeUrl = computeUrl; }
    public List<ProjectEntry> getProjects() { return projects; }
    public void setProjects(List<ProjectEntry> projects) { this.projects = projects; }
    public List<UserEntry> getUsers() { return users; }
    public void setUsers(List<UserEntry> users) { this.users = users; }
    public External getExternal() { return external; }
    public void setExternal(External external) { this.external = external; }
}
