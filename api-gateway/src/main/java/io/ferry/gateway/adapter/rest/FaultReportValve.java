package io.ferry.gateway.adapter.rest;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's own refusals (an invalid URI such as {@code %00} or an encoded {@code /}, a header too large, a
 * request line it cannot parse) happen before the application sees the request; this valve, in place of Tomcat's
 * HTML error report, answers them with Nova's fault body, or Keystone's error body on the identity connector.
 */
public class FaultReportValve extends ErrorReportValve {

    /** Puts this valve in place of the host's error report valve. */
    public static void install(Host host) {
        for (Valve valve : host.getPipeline().getValves()) {
            if (valve instanceof ErrorReportValve && !(valve instanceof FaultReportValve)) {
                host.getPipeline().removeValve(valve);
            }
        }
        host.getPipeline().addValve(new FaultReportValve());
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        String uri = request.getRequestURI();
        Connector[] connectors = request.getConnector().getService().findConnectors();
        boolean identity = (uri != null && uri.startsWith("/identity")) || request.getConnector() != connectors[0];
        String message = GatewayErrorController.message(status);
        String body = identity
                ? "{\"error\": {\"code\": " + status + ", \"message\": \"" + message + "\", \"title\": \""
                        + (status == 404 ? "Not Found" : status == 405 ? "Method Not Allowed" : "Bad Request") + "\"}}"
                : "{\"" + NovaApiException.faultName(status) + "\": {\"code\": " + status + ", \"message\": \""
                        + message + "\"}}";
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away, or the response is committed: nothing more to say
        }
    }
}
