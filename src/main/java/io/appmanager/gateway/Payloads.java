package io.appmanager.gateway;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code data} of IDENTIFY, RESUME and SUBSCRIBE, checked for shape. A payload either parses
 * completely or is refused with the name of what is wrong; nothing is half-applied.
 */
final class Payloads {

    record Identify(String token, List<String> intents, JsonNode properties) {
    }

    record Resume(String token, String sessionId, long seq) {
    }

    record Subscribe(List<String> add, List<String> remove) {
    }

    /** @param data the request's payload as sent; JSON null when absent */
    record Request(String correlationId, String type, JsonNode data) {
    }

    /** Correlation ids are the SDK's own; bounded and printable so they are safe in logs, JSON and the history. */
    static final java.util.regex.Pattern CORRELATION_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    /** The same rule as event types (seed 003: bounded lowercase dotted names). */
    static final java.util.regex.Pattern REQUEST_TYPE = java.util.regex.Pattern.compile("[a-z0-9_.]{1,64}");

    /** Either a value or the reason it could not be read. */
    record Parsed<T>(T value, String error) {
        static <T> Parsed<T> ok(T v) {
            return new Parsed<>(v, null);
        }

        static <T> Parsed<T> bad(String error) {
            return new Parsed<>(null, error);
        }

        boolean isOk() {
            return error == null;
        }
    }

    /** A sanity bound on list payloads long before the frame size limit would bite. */
    private static final int MAX_LIST = 256;

    private Payloads() {
    }

    static Parsed<Identify> identify(JsonNode data) {
        if (!data.isObject()) {
            return Parsed.bad("IDENTIFY data must be an object");
        }
        Optional<String> token = text(data, "token");
        if (token.isEmpty()) {
            return Parsed.bad("IDENTIFY data.token must be a string");
        }
        Parsed<List<String>> intents = strings(data.get("intents"), "intents");
        if (!intents.isOk()) {
            return Parsed.bad("IDENTIFY data." + intents.error());
        }
        JsonNode properties = data.get("properties");
        if (properties != null && !properties.isNull() && !properties.isObject()) {
            return Parsed.bad("IDENTIFY data.properties must be an object");
        }
        return Parsed.ok(new Identify(token.get(), intents.value(), properties));
    }

    static Parsed<Resume> resume(JsonNode data) {
        if (!data.isObject()) {
            return Parsed.bad("RESUME data must be an object");
        }
        Optional<String> token = text(data, "token");
        Optional<String> sessionId = text(data, "session_id");
        JsonNode seq = data.get("seq");
        if (token.isEmpty()) {
            return Parsed.bad("RESUME data.token must be a string");
        }
        if (sessionId.isEmpty()) {
            return Parsed.bad("RESUME data.session_id must be a string");
        }
        if (seq == null || !seq.isIntegralNumber() || !seq.canConvertToLong() || seq.longValue() < 0) {
            return Parsed.bad("RESUME data.seq must be a non-negative integer");
        }
        return Parsed.ok(new Resume(token.get(), sessionId.get(), seq.longValue()));
    }

    static Parsed<Subscribe> subscribe(JsonNode data) {
        if (!data.isObject()) {
            return Parsed.bad("SUBSCRIBE data must be an object");
        }
        Parsed<List<String>> add = strings(data.get("add"), "add");
        Parsed<List<String>> remove = strings(data.get("remove"), "remove");
        if (!add.isOk()) {
            return Parsed.bad("SUBSCRIBE data." + add.error());
        }
        if (!remove.isOk()) {
            return Parsed.bad("SUBSCRIBE data." + remove.error());
        }
        return Parsed.ok(new Subscribe(add.value(), remove.value()));
    }

    static Parsed<Request> request(JsonNode data) {
        if (!data.isObject()) {
            return Parsed.bad("REQUEST data must be an object");
        }
        Optional<String> id = text(data, "correlation_id");
        if (id.isEmpty() || !CORRELATION_ID.matcher(id.get()).matches()) {
            return Parsed.bad("REQUEST data.correlation_id must match " + CORRELATION_ID.pattern());
        }
        Optional<String> type = text(data, "type");
        if (type.isEmpty() || !REQUEST_TYPE.matcher(type.get()).matches()) {
            return Parsed.bad("REQUEST data.type must match " + REQUEST_TYPE.pattern());
        }
        JsonNode payload = data.get("data");
        return Parsed.ok(new Request(id.get(), type.get(),
                payload == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : payload));
    }

    private static Optional<String> text(JsonNode obj, String field) {
        JsonNode n = obj.get(field);
        return n != null && n.isTextual() ? Optional.of(n.textValue()) : Optional.empty();
    }

    /** Absent or null means empty; anything else must be an array of strings. */
    private static Parsed<List<String>> strings(JsonNode n, String field) {
        if (n == null || n.isNull()) {
            return Parsed.ok(List.of());
        }
        if (!n.isArray()) {
            return Parsed.bad(field + " must be an array of strings");
        }
        if (n.size() > MAX_LIST) {
            return Parsed.bad(field + " has more than " + MAX_LIST + " entries");
        }
        List<String> out = new ArrayList<>(n.size());
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                return Parsed.bad(field + " must be an array of strings");
            }
            out.add(e.textValue());
        }
        return Parsed.ok(out);
    }
}
