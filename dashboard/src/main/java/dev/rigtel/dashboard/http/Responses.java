package dev.rigtel.dashboard.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Building the dashboard's complete HTTP answers, with the headers every answer carries. */
final class Responses {

    /**
     * Scripts, styles and data only from the dashboard itself; uPlot sets inline styles through
     * the CSSOM, which {@code style-src 'self'} alone would not block, but its tooltips use style
     * attributes in markup, hence {@code 'unsafe-inline'} for styles (never for scripts).
     */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
                    + " img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private Responses() {}

    static FullHttpResponse of(HttpResponseStatus status, String contentType, byte[] body) {
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        if (contentType != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        HttpUtil.setContentLength(response, body.length);
        response.headers()
                .set("X-Content-Type-Options", "nosniff")
                // A page opened with ?token= must not hand the token on in a Referer.
                .set("Referrer-Policy", "no-referrer");
        return response;
    }

    static FullHttpResponse json(HttpResponseStatus status, String json) {
        FullHttpResponse response = of(status, "application/json", (json + "\n").getBytes(StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return response;
    }

    /** {@code {"error": message}}, like the collector's errors. */
    static FullHttpResponse error(HttpResponseStatus status, String message) {
        return json(status, "{\"error\":\"" + escape(message) + "\"}");
    }

    static FullHttpResponse html(HttpResponseStatus status, String title, String paragraph) {
        String page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escapeHtml(title)
                + "</title><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<link rel=\"stylesheet\" href=\"/css/dashboard.css\"></head><body><main class=\"notice\"><h1>"
                + escapeHtml(title) + "</h1><p>" + escapeHtml(paragraph)
                + "</p><p><a href=\"/\">rigtel dashboard</a></p>"
                + "</main></body></html>\n";
        FullHttpResponse response = of(status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
        response.headers()
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        return response;
    }

    static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("\\p{Cntrl}", " ");
    }

    static String escapeHtml(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
