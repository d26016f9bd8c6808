package io.ferry.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The embedded broker's TLS material, generated once with the JDK's {@code keytool} under {@code <data>/tls}
 * (directory 700, files 600): a CA ({@code ca.p12}, {@code ca.crt}), the broker's key and certificate signed by it
 * for {@code 127.0.0.1} / {@code localhost} ({@code broker.p12}), and a trust store holding the CA
 * ({@code truststore.p12}) for clients. Store passwords are random, in {@code *.password} files, passed to keytool
 * through its environment (never on a command line).
 */
public final class BrokerTls {

    private static final String SAN = "SAN=ip:127.0.0.1,dns:localhost";

    private final Path dir;

    private BrokerTls(Path dir) {
        this.dir = dir;
    }

    public static BrokerTls in(Path dir) {
        return new BrokerTls(dir);
    }

    public Path truststore() {
        return dir.resolve("truststore.p12");
    }

    public Path keystore() {
        return dir.resolve("broker.p12");
    }

    public Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    private String password(String name) {
        try {
            return Files.readString(dir.resolve(name + ".password")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The client side: trust the broker's CA (hostname verification stays on). */
    public Map<String, Object> clientProperties() {
        return Map.of("security.protocol", "SASL_SSL",
                "ssl.truststore.type", "PKCS12",
                "ssl.truststore.location", truststore().toString(),
                "ssl.truststore.password", password("truststore"));
    }

    /** The broker's {@code ssl.*} settings. */
    List<String> brokerProperties() {
        return List.of(
                "ssl.keystore.type=PKCS12",
                "ssl.keystore.location=" + keystore(),
                "ssl.keystore.password=" + password("broker"),
                "ssl.key.password=" + password("broker"),
                "ssl.truststore.type=PKCS12",
                "ssl.truststore.location=" + truststore(),
                "ssl.truststore.password=" + password("truststore"),
                "ssl.enabled.protocols=TLSv1.3,TLSv1.2",
                "ssl.client.auth=none");
    }

    /** Generates the CA, the broker certificate and the trust store unless they exist. */
    public static BrokerTls createIfMissing(Path dir) {
        BrokerTls tls = new BrokerTls(dir);
        if (Files.exists(tls.truststore()) && Files.exists(tls.keystore())) {
            return tls;
        }
        try {
            Files.createDirectories(dir);
            ownerOnly(dir, "rwx------");
            String caPassword = secret(dir, "ca");
            String brokerPassword = secret(dir, "broker");
            String trustPassword = secret(dir, "truststore");
            Map<String, String> env = Map.of("FERRY_CA_PW", caPassword, "FERRY_BROKER_PW", brokerPassword,
                    "FERRY_TRUST_PW", trustPassword);
            keytool(dir, env, "-genkeypair", "-keystore", "ca.p12", "-storetype", "PKCS12", "-storepass:env",
                    "FERRY_CA_PW", "-alias", "ca", "-dname", "CN=Ferry embedded Kafka CA", "-keyalg", "RSA",
                    "-keysize", "3072", "-validity", "3650", "-ext", "bc:c");
            keytool(dir, env, "-exportcert", "-keystore", "ca.p12", "-storepass:env", "FERRY_CA_PW", "-alias", "ca",
                    "-rfc", "-file", "ca.crt");
            keytool(dir, env, "-genkeypair", "-keystore", "broker.p12", "-storetype", "PKCS12", "-storepass:env",
                    "FERRY_BROKER_PW", "-alias", "broker", "-dname", "CN=127.0.0.1", "-keyalg", "RSA", "-keysize",
                    "2048", "-validity", "825", "-ext", SAN);
            keytool(dir, env, "-certreq", "-keystore", "broker.p12", "-storepass:env", "FERRY_BROKER_PW", "-alias",
                    "broker", "-file", "broker.csr");
            keytool(dir, env, "-gencert", "-keystore", "ca.p12", "-storepass:env", "FERRY_CA_PW", "-alias", "ca",
                    "-infile", "broker.csr", "-outfile", "broker.crt", "-rfc", "-validity", "825", "-ext", SAN);
            keytool(dir, env, "-importcert", "-keystore", "broker.p12", "-storepass:env", "FERRY_BROKER_PW",
                    "-alias", "ca", "-file", "ca.crt", "-noprompt");
            keytool(dir, env, "-importcert", "-keystore", "broker.p12", "-storepass:env", "FERRY_BROKER_PW",
                    "-alias", "broker", "-file", "broker.crt", "-noprompt");
            keytool(dir, env, "-importcert", "-keystore", "truststore.p12", "-storetype", "PKCS12", "-storepass:env",
                    "FERRY_TRUST_PW", "-alias", "ca", "-file", "ca.crt", "-noprompt");
            Files.deleteIfExists(dir.resolve("broker.csr"));
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    ownerOnly(file, "rw-------");
                }
            }
            return tls;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String secret(Path dir, String name) throws IOException {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String secret = HexFormat.of().formatHex(bytes);
        Path file = dir.resolve(name + ".password");
        Files.writeString(file, secret, StandardCharsets.UTF_8);
        ownerOnly(file, "rw-------");
        return secret;
    }

    private static void ownerOnly(Path path, String mode) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to set
        }
    }

    private static void keytool(Path dir, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("keytool.log").toFile()));
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " failed; see " + dir.resolve("keytool.log"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
