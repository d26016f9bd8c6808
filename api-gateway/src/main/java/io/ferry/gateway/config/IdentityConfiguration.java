package io.ferry.gateway.config;

import io.ferry.gateway.adapter.keystone.ExternalKeystoneValidator;
import io.ferry.gateway.adapter.keystone.IdentityPortFilter;
import io.ferry.gateway.app.FernetTokens;
import io.ferry.gateway.app.IdentityDirectory;
import io.ferry.gateway.app.IdentityService;
import io.ferry.gateway.app.RevocationStore;
import io.ferry.gateway.app.PasswordHash;
import io.ferry.gateway.app.TokenValidator;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.catalina.connector.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The identity side of the gateway. Decision: Keystone is served by the same Tomcat as the compute API, on a second
 * connector (port 5000) whose requests are forwarded to {@code /identity/**}; one process, one thread pool, one
 * token store, and DevStack's {@code /identity} path works on 8774 too.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IdentityProperties.class)
public class IdentityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(IdentityConfiguration.class);

    /** The identity connector, once Tomcat made it. */
    public static final class IdentityConnector {
        private final AtomicReference<Connector> connector = new AtomicReference<>();

        /** The identity port actually bound, or -1 when there is none (yet). */
        public int port() {
            Connector c = connector.get();
            return c == null ? -1 : c.getLocalPort();
        }
    }

    @Bean
    public IdentityConnector identityConnector() {
        return new IdentityConnector();
    }

    @Bean
    public WebServerFactoryCustomizer<TomcatServletWebServerFactory> identityPort(IdentityProperties properties,
                                                                                 IdentityConnector holder) {
        return factory -> {
            if (properties.getPort() >= 0) {
                Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
                connector.setPort(properties.getPort());
                if (factory.getAddress() != null) {
                    connector.setProperty("address", factory.getAddress().getHostAddress());
                }
                factory.addAdditionalConnectors(connector);
                holder.connector.set(connector);
            }
        };
    }

    @Bean
    @Primary
    public IdentityService identityService(IdentityProperties properties, Clock gatewayClock) {
        List<IdentityDirectory.Project> projects = properties.getProjects().stream()
                .map(p -> new IdentityDirectory.Project(p.getId() != null ? p.getId() : p.getName(), p.getName()))
                .toList();
        List<IdentityDirectory.User> users = properties.getUsers().stream().map(u -> {
            if (!PasswordHash.isHash(u.getPasswordHash())) {
                throw new IllegalStateException("ferry.identity.users: user " + u.getName()
                        + " needs a password-hash (pbkdf2-sha256$...), never a plain password");
            }
            return new IdentityDirectory.User(u.getId() != null ? u.getId() : u.getName(), u.getName(),
                    u.getPasswordHash(), u.getProject(), u.getRoles());
        }).toList();
        SecureRandom random = new SecureRandom();
        List<String> keys;
        Path revocationFile = properties.getRevocationFile() == null || properties.getRevocationFile().isBlank()
                ? null : Path.of(properties.getRevocationFile());
        if (properties.getFernetKeyRepository() == null || properties.getFernetKeyRepository().isBlank()) {
            log.warn("ferry.identity.fernet-key-repository is not set: tokens are sealed with a key of this process "
                    + "and stop working when it restarts");
            keys = List.of(FernetTokens.newKey(random));
        } else {
            Path repository = Path.of(properties.getFernetKeyRepository());
            keys = FernetKeyRepository.load(repository, random);
            log.info("identity: {} Fernet key(s) from {}", keys.size(), repository);
            if (revocationFile == null) {
                revocationFile = repository.resolveSibling(repository.getFileName() + ".revoked");
            }
        }
        RevocationStore revocations = revocationFile == null ? RevocationStore.IN_MEMORY
                : new FileRevocationStore(revocationFile);
        return new IdentityService(new IdentityDirectory(users, projects), gatewayClock, properties.getTokenTtl(),
                new FernetTokens(keys, random), random, revocations);
    }

    @Bean
    public TokenValidator tokenValidator(IdentityProperties properties, IdentityService identityService,
                                         Clock gatewayClock) {
        if (properties.getMode() == IdentityProperties.Mode.EXTERNAL) {
            if (properties.getExternal().getUrl() == null) {
                throw new IllegalStateException("ferry.identity.mode=external needs ferry.identity.external.url");
            }
            return new ExternalKeystoneValidator(properties.getExternal().getUrl(),
                    properties.getExternal().getServiceToken(), properties.getExternal().getCacheFor(), gatewayClock);
        }
        return identityService;
    }

    @Bean
    public FilterRegistrationBean<IdentityPortFilter> identityPortFilter(IdentityConnector identityConnector) {
        FilterRegistrationBean<IdentityPortFilter> registration =
                new FilterRegistrationBean<>(new IdentityPortFilter(identityConnector::port));
        registration.addUrlPatterns("/*");
        registration.setOrder(0);
        return registration;
    }
}
