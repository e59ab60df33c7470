package dev.rigtel.collector.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** The API's answers as JSON: one mapper, one way to write a body. */
final class ApiJson {

    private final ObjectMapper json;

    ApiJson(ObjectMapper json) {
        this.json = json;
    }

    ObjectMapper mapper() {
        return json;
    }

    ApiResponse ok(Object body) {
        return write(200, body);
    }

    ApiResponse write(int status, Object body) {
        try {
            return ApiResponse.json(status, json.writeValueAsBytes(body));
        } catch (IOException e) {
            return ApiResponse.error(500, "cannot encode the answer");
        }
    }
}
