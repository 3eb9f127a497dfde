package dev.caravan.api;

/** What a handler answers: an HTTP status and a body (serialized as JSON unless it is text with a content type). */
record ApiResponse(int status, Object body, String contentType) {
    static ApiResponse ok(Object body) {
        return new ApiResponse(200, body, "application/json");
    }

    static ApiResponse created(Object body) {
        return new ApiResponse(201, body, "application/json");
    }

    static ApiResponse accepted(Object body) {
        return new ApiResponse(202, body, "application/json");
    }

    static ApiResponse noContent() {
        return new ApiResponse(204, null, null);
    }

    static ApiResponse yaml(String text) {
        return new ApiResponse(200, text, "application/yaml");
    }
}
