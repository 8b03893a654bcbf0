package io.appmanager.platform;

import java.util.Map;

/**
 * A refused REST request. Every refusal has a status, a stable machine code, a sentence for
 * humans and, where one input is to blame, the name of that field.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final String field;
    private final Map<String, String> headers;

    public ApiException(int status, String code, String message, String field) {
        this(status, code, message, field, Map.of());
    }

    public ApiException(int status, String code, String message, String field, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
        this.headers = headers;
    }

    public static ApiException invalidField(String field, String message) {
        return new ApiException(400, "invalid_field", message, field);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message, null, Map.of("WWW-Authenticate", "Bearer"));
    }

    public static ApiException forbidden(String message, String field) {
        return new ApiException(403, "forbidden", message, field);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message, null);
    }

    public static ApiException conflict(String message, String field) {
        return new ApiException(409, "conflict", message, field);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
