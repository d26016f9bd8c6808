package io.ferry.gateway.adapter.rest;

import io.ferry.gateway.app.ReadModelCatchUp;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * While a started gateway is still replaying its read models from Kafka ({@link ReadModelCatchUp}), the compute API
 * and the drain API answer 503 with Nova's fault body ({@code serviceUnavailable}) and {@code Retry-After: 1}, not a
 * 404 for a server or migration the gateway has not read yet, nor a list that misses some. Keystone, the version
 * documents and the console's static files answer as usual (they need no read model).
 */
public class CatchingUpFilter extends OncePerRequestFilter {

    private static final Set<String> OPEN = Set.of("/v2.1", "/v2.1/", "/v2", "/v2/");

    private final ReadModelCatchUp catchUp;

    public CatchingUpFilter(ReadModelCatchUp catchUp) {
        this.catchUp = catchUp;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (catchUp.isCaughtUp() || !needsReadModels(request.getRequestURI().substring(request.getContextPath().length()))) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(503);
        response.setContentType("application/json");
        response.setHeader("Retry-After", "1");
        response.getWriter().write("{\"serviceUnavailable\": {\"code\": 503, \"message\": \"The compute API is "
                + "starting: it is still reading the fleet and the migrations from Kafka (" + catchUp.progress()
                + "). Retry shortly.\"}}");
    }

    static boolean needsReadModels(String path) {
        return (path.startsWith("/v2.1/") || path.startsWith("/v2/") || path.startsWith("/ferry/"))
                && !OPEN.contains(path);
    }
}
