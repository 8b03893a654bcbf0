package io.appmanager.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.appmanager.fanout.LogPosition;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What another node needs to rebuild a session: who it is, what it hears, and which seq it had
 * reached at which log position. Written by the node holding the session, read on a RESUME elsewhere.
 *
 * @param app the app session the gateway session serves, or null for a plain client
 */
record SessionCheckpoint(String sessionId, String principalId, Set<String> intents, List<String> topics,
                         long seq, LogPosition position, AppBinding app) {

    SessionCheckpoint {
        intents = Set.copyOf(intents);
        topics = List.copyOf(topics);
    }

    String encode(ObjectMapper json) {
        ObjectNode n = json.createObjectNode();
        n.put("session", sessionId).put("principal", principalId).put("seq", seq)
                .put("epoch", position.epoch()).put("at", position.streamId());
        new TreeSet<>(intents).forEach(n.putArray("intents")::add);
        topics.forEach(n.putArray("topics")::add);
        if (app != null) {
            n.putObject("app").put("id", app.appSessionId().toString()).put("package", app.packageName())
                    .put("user_session", app.userSessionId());
        }
        try {
            return json.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Empty when the stored value is not a checkpoint this version can read: the session is then unknown. */
    static Optional<SessionCheckpoint> decode(ObjectMapper json, String body) {
        try {
            JsonNode n = json.readTree(body);
            JsonNode app = n.get("app");
            return Optional.of(new SessionCheckpoint(n.get("session").textValue(), n.get("principal").textValue(),
                    Set.copyOf(strings(n.get("intents"))), strings(n.get("topics")), n.get("seq").longValue(),
                    LogPosition.of(n.get("epoch").textValue(), n.get("at").textValue()),
                    app == null ? null : new AppBinding(UUID.fromString(app.get("id").textValue()),
                            app.get("package").textValue(), app.get("user_session").textValue())));
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.textValue()));
        return out;
    }
}
