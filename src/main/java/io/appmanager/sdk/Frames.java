package io.appmanager.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Encodes outbound frames and decodes inbound ones. Stateless. */
final class Frames {
    /** Thread-safe once configured; shared because ObjectMapper is costly to build. */
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Frames() {
    }

    /** Parses a server text frame; throws when it is not a JSON object with a numeric op. */
    static InboundFrame parse(String text) throws JsonProcessingException {
        JsonNode root = MAPPER.readTree(text);
        if (root == null || !root.isObject() || !root.path("op").isIntegralNumber()) {
            throw new IllegalArgumentException("not a gateway frame: " + abbreviate(text));
        }
        JsonNode seq = root.path("seq");
        JsonNode type = root.path("type");
        return new InboundFrame(
                root.get("op").asInt(),
                seq.isIntegralNumber() ? OptionalLong.of(seq.asLong()) : OptionalLong.empty(),
                type.isTextual() ? type.asText() : null,
                root.path("data"));
    }

    /** {@code {"op":2,"data":{"token","intents","properties"}}}. */
    static String identify(String token, List<String> intents, Map<String, Object> properties) {
        ObjectNode data = MAPPER.createObjectNode();
        data.put("token", token);
        ArrayNode intentArray = data.putArray("intents");
        intents.forEach(intentArray::add);
        data.set("properties", MAPPER.valueToTree(properties));
        return envelope(OpCodes.IDENTIFY, data);
    }

    /** {@code {"op":3,"data":{"token","session_id","seq"}}}. */
    static String resume(String token, String sessionId, long lastSeq) {
        ObjectNode data = MAPPER.createObjectNode();
        data.put("token", token);
        data.put("session_id", sessionId);
        data.put("seq", lastSeq);
        return envelope(OpCodes.RESUME, data);
    }

    /** {@code {"op":1,"data":<last seq or null>}}; 0 means no seq seen yet (seqs start at 1). */
    static String heartbeat(long lastSeq) {
        ObjectNode frame = MAPPER.createObjectNode();
        frame.put("op", OpCodes.HEARTBEAT);
        if (lastSeq > 0) {
            frame.put("data", lastSeq);
        } else {
            frame.putNull("data");
        }
        return frame.toString();
    }

    /** {@code {"op":op,"data":data}} for user-supplied payloads; data is serialised by Jackson. */
    static String outbound(int op, Object data) {
        return envelope(op, MAPPER.valueToTree(data));
    }

    /** Data of a SUBSCRIBE frame: {@code {"add":[..],"remove":[..]}}. */
    static ObjectNode subscription(Collection<String> add, Collection<String> remove) {
        ObjectNode data = MAPPER.createObjectNode();
        ArrayNode added = data.putArray("add");
        add.forEach(added::add);
        ArrayNode removed = data.putArray("remove");
        remove.forEach(removed::add);
        return data;
    }

    /**
     * IDENTIFY properties: os, client and version first, then the user's entries, which win on a
     * clash (the application knows best how it wants to be reported).
     */
    static Map<String, Object> identifyProperties(Map<String, Object> userProperties) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("os", System.getProperty("os.name"));
        properties.put("client", AccordClient.CLIENT_NAME);
        properties.put("version", AccordClient.SDK_VERSION);
        properties.putAll(userProperties);
        return properties;
    }

    private static String envelope(int op, JsonNode data) {
        ObjectNode frame = MAPPER.createObjectNode();
        frame.put("op", op);
        frame.set("data", data);
        return frame.toString();
    }

    /** Log lines stay readable even when the server sends something huge. */
    private static final int ABBREVIATE_AT = 200;

    private static String abbreviate(String text) {
        return text.length() <= ABBREVIATE_AT ? text : text.substring(0, ABBREVIATE_AT) + "...";
    }
}
