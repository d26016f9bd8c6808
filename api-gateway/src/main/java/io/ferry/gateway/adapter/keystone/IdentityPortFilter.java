package io.ferry.gateway.adapter.keystone;

import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.IntSupplier;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The identity port (5000) serves only Keystone: a request that arrives there is forwarded to {@code /identity}
 * plus its path, so {@code http://host:5000/v3/auth/tokens} and {@code http://host:8774/identity/v3/auth/tokens}
 * reach the same handler, and nothing of the compute API is reachable on the identity port.
 */
public class IdentityPortFilter extends OncePerRequestFilter {

    public static final String PREFIX = "/identity";

    private final IntSupplier identityPort;

    public IdentityPortFilter(IntSupplier identityPort) {
        this.identityPort = identityPort;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        int port = identityPort.getAsInt();
        if (port > 0 && request.getLocalPort() == port) {
            String path = request.getRequestURI().substring(request.getContextPath().length());
            String query = request.getQueryString();
            request.getRequestDispatcher(PREFIX + (path.equals("/") ? "" : path) + (query == null ? "" : "?" + query))
                    .forward(request, response);
            return;
        }
        chain.doFilter(request, response);
    }

    /** Whether the request came in on the identity port (so URLs handed back omit {@code /identity}). */
    static boolean isForwarded(HttpServletRequest request) {
        return request.getAttribute(RequestDispatcher.FORWARD_REQUEST_URI) != null;
    }
}
