package dev.rigtel.collector.api;

/**
 * A request a route refuses, with the HTTP status and the message to answer ({@code {"error": ...}});
 * thrown by the routes, answered by {@link CollectorApi#handle}. No stack trace: it is not a fault.
 */
final class ApiException extends RuntimeException {

    private final int status;

    ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    int status() {
        return status;
    }
}
