package io.ferry.gateway.adapter.rest;

import org.springframework.http.HttpStatus;

/** A refusal that the API answers with Nova's fault body, e.g. {@code {"itemNotFound": {"code": 404, ...}}}. */
public class NovaApiException extends RuntimeException {

    private final HttpStatus status;

    public NovaApiException(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }

    public static NovaApiException badRequest(String message) {
        return new NovaApiException(HttpStatus.BAD_REQUEST, message);
    }

    public static NovaApiException notFound(String message) {
        return new NovaApiException(HttpStatus.NOT_FOUND, message);
    }

    public static NovaApiException forbidden(String message) {
        return new NovaApiException(HttpStatus.FORBIDDEN, message);
    }

    /** Nova's answer for a method the requested microversion does not have. */
    public static NovaApiException versionNotFound() {
        return new NovaApiException(HttpStatus.NOT_FOUND, "The resource could not be found.");
    }

    public static NovaApiException conflict(String message) {
        return new NovaApiException(HttpStatus.CONFLICT, message);
    }

    /** Nova's fault name for a status. */
    public static String faultName(int status) {
        return switch (status) {
            case 400 -> "badRequest";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "itemNotFound";
            case 405 -> "badMethod";
            case 406 -> "notAcceptable";
            case 409 -> "conflictingRequest";
            case 413 -> "overLimit";
            case 415 -> "unsupportedMediaType";
            case 501 -> "notImplemented";
            case 503 -> "serviceUnavailable";
            default -> status >= 500 ? "computeFault" : "badRequest";
        };
    }
}
