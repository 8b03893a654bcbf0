package io.appmanager.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import io.appmanager.auth.TopicPattern;
import io.appmanager.platform.ApiException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A checked publish body. {@link #parse} either returns a complete request or throws an
 * {@link ApiException} naming the field at fault; it never guesses.
 */
public record PublishRequest(String type, List<String> topics, JsonNode data, Optional<String> idempotencyKey) {

    static final Pattern TYPE = Pattern.compile("[a-z0-9_.]{1,64}");
    /** Types the gateway itself sends; a publisher must not be able to forge them. */
    static final Set<String> RESERVED_TYPES = Set.of("ready", "resumed", "subscriptions.update");
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,128}");
    private static final Set<String> FIELDS = Set.of("type", "topic", "topics", "data", "idempotency_key");

    static PublishRequest parse(JsonNode body, int maxTopics) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalidField(null, "body must be a JSON object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw ApiException.invalidField(f, "unknown field " + f + "; expected one of " + FIELDS);
            }
        }
        JsonNode type = body.get("type");
        if (type == null || !type.isTextual() || !TYPE.matcher(type.textValue()).matches()) {
            throw ApiException.invalidField("type", "type must match " + TYPE.pattern());
        }
        if (RESERVED_TYPES.contains(type.textValue())) {
            throw ApiException.invalidField("type", "type " + type.textValue() + " is reserved for the gateway");
        }
        JsonNode data = body.get("data");
        if (data == null || !data.isObject()) {
            throw ApiException.invalidField("data", "data must be a JSON object");
        }
        JsonNode key = body.get("idempotency_key");
        if (key != null && !key.isNull() && (!key.isTextual() || !IDEMPOTENCY_KEY.matcher(key.textValue()).matches())) {
            throw ApiException.invalidField("idempotency_key", "idempotency_key must be 1-128 printable ASCII characters");
        }
        return new PublishRequest(type.textValue(), topics(body, maxTopics), data,
                key == null || key.isNull() ? Optional.empty() : Optional.of(key.textValue()));
    }

    private static List<String> topics(JsonNode body, int maxTopics) {
        JsonNode one = body.get("topic");
        JsonNode many = body.get("topics");
        if (one != null && many != null) {
            throw ApiException.invalidField("topics", "give either topic or topics, not both");
        }
        if (one != null) {
            if (!one.isTextual() || !TopicPattern.isValidTopic(one.textValue())) {
                throw ApiException.invalidField("topic", "topic must match " + TopicPattern.TOPIC.pattern());
            }
            return List.of(one.textValue());
        }
        if (many == null || !many.isArray() || many.isEmpty()) {
            throw ApiException.invalidField("topics", "topic (a string) or topics (a non-empty array) is required");
        }
        if (many.size() > maxTopics) {
            throw ApiException.invalidField("topics", "at most " + maxTopics + " topics per event");
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode t : many) {
            if (!t.isTextual() || !TopicPattern.isValidTopic(t.textValue())) {
                throw ApiException.invalidField("topics", "every topic must match " + TopicPattern.TOPIC.pattern()
                        + "; got " + t);
            }
            out.add(t.textValue());
        }
        return new ArrayList<>(out);
    }
}
