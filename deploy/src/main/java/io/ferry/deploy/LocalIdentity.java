package io.ferry.deploy;

import io.ferry.gateway.app.PasswordHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded identity's users, like DevStack's: an {@code admin} (role admin on project {@code admin}) and a
 * {@code member} (role member on project {@code demo}, which owns the simulated servers), with passwords generated at
 * the first start. The gateway gets only the hashes (as {@code ferry.identity.*} properties); the clients get
 * {@code <data>/clouds.yaml} and {@code <data>/openrc} (mode 600), rewritten at every start with the live URLs.
 */
public final class LocalIdentity {

    /** A user of the embedded identity, with its plain password (only ever written to the clients' files). */
    public record Account(String user, String password, String project, List<String> roles) {
        @Override
        public String toString() {
            return "Account[" + user + "@" + project + "]";
        }
    }

    private static final Pattern CLOUD_PASSWORD =
            Pattern.compile("(?m)^  ferry-(\\w+):\\n(?:    .*\\n)*?      password: \"([^\"]+)\"");

    private final Path dir;
    private final Account admin;
    private final Account member;

    private LocalIdentity(Path dir, Account admin, Account member) {
        this.dir = dir;
        this.admin = admin;
        this.member = member;
    }

    /** Reads the accounts of an earlier start from {@code dir/clouds.yaml}, or makes new ones. */
    public static LocalIdentity loadOrCreate(Path dir) {
        Map<String, String> passwords = new LinkedHashMap<>();
        Path clouds = dir.resolve("clouds.yaml");
        if (Files.isRegularFile(clouds)) {
            try {
                Matcher m = CLOUD_PASSWORD.matcher(Files.readString(clouds));
                while (m.find()) {
                    passwords.put(m.group(1), m.group(2));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        SecureRandom random = new SecureRandom();
        return new LocalIdentity(dir,
                new Account("admin", passwords.getOrDefault("admin", generate(random)), "admin",
                        List.of("admin", "member", "reader")),
                new Account("member", passwords.getOrDefault("member", generate(random)), "demo",
                        List.of("member", "reader")));
    }

    private static String generate(SecureRandom random) {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public Account admin() {
        return admin;
    }

    public Account member() {
        return member;
    }

    public Path dir() {
        return dir;
    }

    /** The gateway's {@code ferry.identity.*} properties: projects, users, password hashes, the Fernet key repository. */
    public Map<String, Object> gatewayProperties(int identityPort) {
        SecureRandom random = new SecureRandom();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("ferry.identity.port", identityPort);
        // Fernet keys in the data directory (made at the first start): tokens outlive a restart of the gateway
        p.put("ferry.identity.fernet-key-repository", dir.resolve("fernet-keys").toAbsolutePath().toString());
        p.put("ferry.identity.projects[0].id", "admin");
        p.put("ferry.identity.projects[0].name", "admin");
        p.put("ferry.identity.projects[1].id", "demo");
        p.put("ferry.identity.projects[1].name", "demo");
        int i = 0;
        for (Account a : List.of(admin, member)) {
            String prefix = "ferry.identity.users[" + i++ + "].";
            p.put(prefix + "name", a.user());
            p.put(prefix + "password-hash", PasswordHash.hash(a.password(), random));
            p.put(prefix + "project", a.project());
            p.put(prefix + "roles", String.join(",", a.roles()));
        }
        return p;
    }

    /** Writes {@code clouds.yaml} (clouds {@code ferry-admin} and {@code ferry-member}) and {@code openrc}. */
    public void writeClientFiles(String authUrl) {
        StringBuilder clouds = new StringBuilder("""
                # Written by ./ferry up: the embedded identity's users. Keep private.
                #   export OS_CLIENT_CONFIG_FILE=%s
                #   openstack --os-cloud ferry-admin server list --all-projects
                clouds:
                """.formatted(dir.resolve("clouds.yaml")));
        for (Account a : List.of(admin, member)) {
            clouds.append("""
                      ferry-%s:
                        auth:
                          auth_url: "%s"
                          username: "%s"
                          password: "%s"
                          project_name: "%s"
                          user_domain_name: "Default"
                          project_domain_name: "Default"
                        region_name: "RegionOne"
                        identity_api_version: 3
                        interface: "public"
                    """.formatted(a.user(), authUrl, a.user(), a.password(), a.project()));
        }
        String openrc = """
                # Written by ./ferry up. Usage: source %s [admin|member]
                _ferry_user="${1:-admin}"
                case "$_ferry_user" in
                  admin)  export OS_USERNAME=admin OS_PASSWORD='%s' OS_PROJECT_NAME=admin ;;
                  member) export OS_USERNAME=member OS_PASSWORD='%s' OS_PROJECT_NAME=demo ;;
                  *) echo "usage: source openrc [admin|member]" >&2; return 1 ;;
                esac
                unset _ferry_user
                export OS_AUTH_URL='%s'
                export OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default
                export OS_IDENTITY_API_VERSION=3 OS_REGION_NAME=RegionOne OS_INTERFACE=public
                """.formatted(dir.resolve("openrc"), admin.password(), member.password(), authUrl);
        write(dir.resolve("clouds.yaml"), clouds.toString());
        write(dir.resolve("openrc"), openrc);
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, content);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
