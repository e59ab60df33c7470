package dev.rigtel.dashboard.http;

import dev.rigtel.common.http.HttpHandlerNames;

/** Names of the dashboard's own HTTP pipeline handlers, after common's {@link HttpHandlerNames}. */
public final class HandlerNames {

    /** Added after {@link HttpHandlerNames#ROUTES} when a request turns the connection into a live stream. */
    public static final String EVENT_STREAM = "event-stream";

    private HandlerNames() {}
}
