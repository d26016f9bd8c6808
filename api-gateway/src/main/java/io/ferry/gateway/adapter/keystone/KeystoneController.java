package io.ferry.gateway.adapter.keystone;

import io.ferry.gateway.app.IdentityDirectory;
import io.ferry.gateway.app.IdentityService;
import io.ferry.gateway.app.IdentityService.Outcome;
import io.ferry.gateway.app.IdentityService.Scope;
import io.ferry.gateway.app.IdentityService.Token;
import jakarta.servlet.http.HttpServletRequest;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Keystone v3 subset under {@code /identity} (and at the root of the identity port, see
 * {@link IdentityPortFilter}): version discovery and {@code /v3/auth/tokens}.
 */
@RestController
public class KeystoneController {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final MediaType JSON_TYPE = MediaType.APPLICATION_JSON;

    private final IdentityService identity;
    private final Function<HttpServletRequest, String> computeUrl;

    /**
     * @param configuredComputeUrl the catalog's compute endpoint; blank: the host the client asked for, on the
     *                             compute port
     */
    public KeystoneController(IdentityService identity, Environment environment,
                              @Value("${ferry.identity.compute-url:}") String configuredComputeUrl) {
        this.identity = identity;
        this.computeUrl = request -> !configuredComputeUrl.isBlank() ? configuredComputeUrl
                : request.getScheme() + "://" + request.getServerName() + ":"
                        + environment.getProperty("local.server.port", "8774") + "/v2.1";
    }

    @RequestMapping(path = {"/identity", "/identity/"}, method = RequestMethod.GET)
    public ResponseEntity<Map<String, Object>> versions(HttpServletRequest request) {
        return ResponseEntity.status(HttpStatus.MULTIPLE_CHOICES).contentType(JSON_TYPE)
                .body(Map.of("versions", Map.of("values", List.of(version(request)))));
    }

    @RequestMapping(path = {"/identity/v3", "/identity/v3/"}, method = RequestMethod.GET)
    public ResponseEntity<Map<String, Object>> v3(HttpServletRequest request) {
        return ResponseEntity.ok().contentType(JSON_TYPE).body(Map.of("version", version(request)));
    }

    private static Map<String, Object> version(HttpServletRequest request) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", "v3.14");
        v.put("status", "stable");
        v.put("updated", "2020-04-07T00:00:00Z");
        v.put("links", List.of(Map.of("rel", "self", "href", identityUrl(request) + "/v3/")));
        v.put("media-types", List.of(Map.of("base", "application/json",
                "type", "application/vnd.openstack.identity-v3+json")));
        return v;
    }

    /** This identity service's root URL as the client reached it. */
    static String identityUrl(HttpServletRequest request) {
        String prefix = IdentityPortFilter.isForwarded(request) ? "" : "/identity";
        return request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort() + prefix;
    }

    @RequestMapping(path = "/identity/v3/auth/tokens", method = RequestMethod.POST)
    public ResponseEntity<Map<String, Object>> issue(@RequestBody(required = false) String body,
                                                     @RequestParam(name = "nocatalog", required = false) String noCatalog,
                                                     HttpServletRequest request) {
        JsonNode auth;
        try {
            auth = body == null ? null : JSON.readTree(body).get("auth");
        } catch (JacksonException e) {
            return error(400, "Bad Request", "Expecting to find auth in request body. The server could not comply "
                    + "with the request since it is either malformed or otherwise incorrect.");
        }
        if (auth == null || !auth.isObject() || !auth.path("identity").isObject()) {
            return error(400, "Bad Request", "Expecting to find identity in auth. The server could not comply with "
                    + "the request since it is either malformed or otherwise incorrect.");
        }
        JsonNode methods = auth.path("identity").path("methods");
        if (!methods.isArray() || methods.isEmpty()) {
            return error(400, "Bad Request", "Expecting to find methods in identity. The server could not comply "
                    + "with the request since it is either malformed or otherwise incorrect.");
        }
        for (int i = 0; i < methods.size(); i++) {
            if (!methods.get(i).isString()) {
                return error(400, "Bad Request", "Invalid input for field 'identity/methods/" + i + "': "
                        + "it is not of type 'string'.");
            }
        }
        Scope scope;
        try {
            scope = scope(auth.path("scope"));
        } catch (IllegalArgumentException e) {
            return error(400, "Bad Request", e.getMessage());
        }
        String method = methods.get(0).asString();
        Outcome outcome = switch (method) {
            case "password" -> {
                JsonNode user = auth.path("identity").path("password").path("user");
                if (!user.isObject() || !user.path("password").isString()) {
                    yield new Outcome.Unauthorized("The request you have made requires authentication.");
                }
                yield identity.password(text(user, "id"), text(user, "name"),
                        Optional.ofNullable(text(user.path("domain"), "id")).orElse(text(user.path("domain"), "name")),
                        user.path("password").asString(), scope);
            }
            case "token" -> identity.token(text(auth.path("identity").path("token"), "id"), scope);
            default -> new Outcome.Unauthorized("Attempted to authenticate with an unsupported method.");
        };
        return switch (outcome) {
            case Outcome.Unauthorized refused -> error(401, "Unauthorized", refused.message());
            case Outcome.Issued issued -> ResponseEntity.status(HttpStatus.CREATED).contentType(JSON_TYPE)
                    .header("X-Subject-Token", issued.token().id())
                    .body(Map.of("token", tokenBody(issued.token(), noCatalog == null, request)));
        };
    }

    @RequestMapping(path = "/identity/v3/auth/tokens", method = {RequestMethod.GET, RequestMethod.HEAD})
    public ResponseEntity<Map<String, Object>> validate(
            @RequestHeader(name = "X-Auth-Token", required = false) String caller,
            @RequestHeader(name = "X-Subject-Token", required = false) String subject,
            @RequestParam(name = "nocatalog", required = false) String noCatalog,
            HttpServletRequest request) {
        Optional<Token> callerToken = identity.find(caller);
        if (callerToken.isEmpty()) {
            return error(401, "Unauthorized", "The request you have made requires authentication.");
        }
        Optional<Token> subjectToken = identity.find(subject);
        if (subjectToken.isEmpty()) {
            return error(404, "Not Found", "Could not find token.");
        }
        if (!callerToken.get().principal().isAdmin() && !callerToken.get().id().equals(subjectToken.get().id())) {
            return error(403, "Forbidden", "You are not authorized to perform the requested action: "
                    + "identity:validate_token.");
        }
        return ResponseEntity.ok().contentType(JSON_TYPE).header("X-Subject-Token", subjectToken.get().id())
                .body(Map.of("token", tokenBody(subjectToken.get(), noCatalog == null, request)));
    }

    @RequestMapping(path = "/identity/v3/auth/tokens", method = RequestMethod.DELETE)
    public ResponseEntity<Map<String, Object>> revoke(
            @RequestHeader(name = "X-Auth-Token", required = false) String caller,
            @RequestHeader(name = "X-Subject-Token", required = false) String subject) {
        Optional<Token> callerToken = identity.find(caller);
        if (callerToken.isEmpty()) {
            return error(401, "Unauthorized", "The request you have made requires authentication.");
        }
        Optional<Token> subjectToken = identity.find(subject);
        if (subjectToken.isEmpty()) {
            return error(404, "Not Found", "Could not find token.");
        }
        if (!callerToken.get().principal().isAdmin() && !callerToken.get().id().equals(subjectToken.get().id())) {
            return error(403, "Forbidden", "You are not authorized to perform the requested action: "
                    + "identity:revoke_token.");
        }
        identity.revoke(subjectToken.get().id());
        return ResponseEntity.noContent().build();
    }

    @RequestMapping(path = "/identity/v3/auth/catalog", method = RequestMethod.GET)
    public ResponseEntity<Map<String, Object>> catalog(
            @RequestHeader(name = "X-Auth-Token", required = false) String caller, HttpServletRequest request) {
        if (identity.find(caller).isEmpty()) {
            return error(401, "Unauthorized", "The request you have made requires authentication.");
        }
        return ResponseEntity.ok().contentType(JSON_TYPE).body(Map.of("catalog", catalog(request),
                "links", Map.of("self", identityUrl(request) + "/v3/auth/catalog")));
    }

    private static Scope scope(JsonNode scope) {
        if (scope.isMissingNode() || scope.isNull()) {
            return new Scope.Unscoped();
        }
        if (scope.path("project").isObject()) {
            JsonNode p = scope.path("project");
            String domain = Optional.ofNullable(text(p.path("domain"), "id")).orElse(text(p.path("domain"), "name"));
            if (text(p, "id") == null && text(p, "name") == null) {
                throw new IllegalArgumentException("Expecting to find id or name in project.");
            }
            return new Scope.ProjectScope(text(p, "id"), text(p, "name"), domain);
        }
        if (scope.path("domain").isObject()) {
            JsonNode d = scope.path("domain");
            String idOrName = Optional.ofNullable(text(d, "id")).orElse(text(d, "name"));
            if (idOrName == null) {
                throw new IllegalArgumentException("Expecting to find id or name in domain.");
            }
            return new Scope.DomainScope(idOrName);
        }
        throw new IllegalArgumentException("Only project or domain scope is supported.");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() ? value.asString() : null;
    }

    private Map<String, Object> tokenBody(Token token, boolean withCatalog, HttpServletRequest request) {
        var p = token.principal();
        Map<String, Object> domain = Map.of("id", IdentityDirectory.DEFAULT_DOMAIN_ID,
                "name", IdentityDirectory.DEFAULT_DOMAIN_NAME);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("methods", token.methods());
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("domain", domain);
        user.put("id", p.userId());
        user.put("name", p.userName());
        user.put("password_expires_at", null);
        body.put("user", user);
        body.put("audit_ids", List.of(token.auditId()));
        body.put("expires_at", TIME.format(token.expiresAt()));
        body.put("issued_at", TIME.format(token.issuedAt()));
        if (p.projectId() != null) {
            body.put("project", Map.of("domain", domain, "id", p.projectId(), "name", p.projectName()));
            body.put("is_domain", false);
        } else if (p.domainScope() != null) {
            body.put("domain", domain);
        }
        if (p.projectId() != null || p.domainScope() != null) {
            body.put("roles", p.roles().stream().map(r -> Map.of("id", roleId(r), "name", r)).toList());
            if (withCatalog) {
                body.put("catalog", catalog(request));
            }
        }
        return body;
    }

    private List<Map<String, Object>> catalog(HttpServletRequest request) {
        List<Map<String, Object>> catalog = new ArrayList<>();
        catalog.add(service("compute", "nova", computeUrl.apply(request)));
        catalog.add(service("identity", "keystone", identityUrl(request)));
        String compute = computeUrl.apply(request);
        catalog.add(service("image", "glance", compute.substring(0, compute.length() - "/v2.1".length()) + "/image"));
        return catalog;
    }

    private static Map<String, Object> service(String type, String name, String url) {
        List<Map<String, Object>> endpoints = new ArrayList<>();
        for (String iface : List.of("public", "internal", "admin")) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", roleId(name + ":" + iface));
            e.put("interface", iface);
            e.put("region", "RegionOne");
            e.put("region_id", "RegionOne");
            e.put("url", url);
            endpoints.add(e);
        }
        return Map.of("endpoints", endpoints, "id", roleId(name), "type", type, "name", name);
    }

    private static String roleId(String name) {
        return UUID.nameUUIDFromBytes(("ferry-identity:" + name).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString().replace("-", "");
    }

    static ResponseEntity<Map<String, Object>> error(int code, String title, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("title", title);
        var builder = ResponseEntity.status(code).contentType(JSON_TYPE);
        if (code == 401) {
            builder = builder.header("WWW-Authenticate", "Keystone uri=\"/identity\"");
        }
        return builder.body(Map.of("error", error));
    }
}
