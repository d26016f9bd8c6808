package io.ferry.gateway.adapter.rest;

import io.ferry.gateway.app.TokenValidator;
import io.ferry.gateway.domain.Principal;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * keystonemiddleware's part: every compute API request needs a valid {@code X-Auth-Token}, else 401 with
 * Keystone's error body and a {@code WWW-Authenticate} naming the identity service. The version documents are open,
 * as in Nova, and so are the console's static files. Sets {@code x-openstack-request-id} first, so refusals carry one too.
 */
public class AuthFilter extends OncePerRequestFilter {

    static final String REQUEST_ID = "ferry.request-id";
    private static final String EVENTS = "/ferry/v1/events";
    private static final Set<String> OPEN = Set.of("/", "/v2.1", "/v2.1/", "/v2", "/v2/", "/image", "/image/");

    private final TokenValidator tokens;
    private final Supplier<String> identityUri;

    public AuthFilter(TokenValidator tokens, Supplier<String> identityUri) {
        this.tokens = tokens;
        this.identityUri = identityUri;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String requestId = "req-" + UUID.randomUUID();
        request.setAttribute(REQUEST_ID, requestId);
        response.setHeader("x-openstack-request-id", requestId);
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith("/identity/") || path.equals("/identity")
                || ("GET".equals(request.getMethod()) && (OPEN.contains(path) || isConsole(path)))) {
            chain.doFilter(request, response);
            return;
        }
        Optional<Principal> principal = tokens.validate(request.getHeader("X-Auth-Token"));
        if (principal.isEmpty()) {
            response.setStatus(401);
            response.setContentType("application/json");
            response.setHeader("WWW-Authenticate", "Keystone uri=\"" + identityUri.get() + "\"");
            response.getWriter().write("{\"error\": {\"code\": 401, \"title\": \"Unauthorized\", "
                    + "\"message\": \"The request you have made requires authentication.\"}}");
            return;
        }
        request.setAttribute(Auth.ATTRIBUTE, principal.get());
        chain.doFilter(request, response);
    }

    /**
     * The console's static files (they hold no data: the page signs in against Keystone and sends the token on every
     * call), and its event stream, which {@link ConsoleController} admits by a one-use ticket instead of a token.
     */
    private static boolean isConsole(String path) {
        return path.equals("/console") || path.startsWith("/console/") || path.equals(EVENTS);
    }
}
