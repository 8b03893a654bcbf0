package io.appmanager.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.appmanager.fanout.LogPosition;

import java.util.ArrayList;
import java.util.List;
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

    /**
     * A session's stored checkpoints, oldest first: several, because a client may have received less
     * than the newest one says (events queued to a socket that died, a slow consumer's backlog), and a
     * rebuild must start from one at or before the client's seq.
     */
    static String encodeAll(ObjectMapper json, List<SessionCheckpoint> checkpoints) {
        com.fasterxml.jackson.databind.node.ArrayNode all = json.createArrayNode();
        checkpoints.forEach(cp -> all.add(cp.toJson(json)));
        try {
            return json.writeValueAsString(all);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Empty when the stored value is not something this version can read: the session is then unknown. */
    static List<SessionCheckpoint> decodeAll(ObjectMapper json, String body) {
        try {
            JsonNode all = json.readTree(body);
            if (!all.isArray()) {
                return List.of();
            }
            List<SessionCheckpoint> out = new ArrayList<>();
            for (JsonNode n : all) {
                out.add(fromJson(n));
            }
            return List.copyOf(out);
        } catch (JsonProcessingException | RuntimeException e) {
            return List.of();
        }
    }

    /** The newest of {@code checkpoints} (oldest first) a client at {@code clientSeq} can be rebuilt from. */
    static java.util.Optional<SessionCheckpoint> newestAtOrBefore(List<SessionCheckpoint> checkpoints, long clientSeq) {
        for (int i = checkpoints.size() - 1; i >= 0; i--) {
            if (checkpoints.get(i).seq() <= clientSeq) {
                return java.util.Optional.of(checkpoints.get(i));
            }
        }
        return java.util.Optional.empty();
    }

    private ObjectNode toJson(ObjectMapper json) {
        ObjectNode n = json.createObjectNode();
        n.put("session", sessionId).put("principal", principalId).put("seq", seq)
                .put("epoch", position.epoch()).put("at", position.streamId());
        new TreeSet<>(intents).forEach(n.putArray("intents")::add);
        topics.forEach(n.putArray("topics")::add);
        if (app != null) {
            n.putObject("app").put("id", app.appSessionId().toString()).put("package", app.packageName())
                    .put("user_session", app.userSessionId());
        }
        return n;
    }

    private static SessionCheckpoint fromJson(JsonNode n) {
        JsonNode app = n.get("app");
        return new SessionCheckpoint(n.get("session").textValue(), n.get("principal").textValue(),
                Set.copyOf(strings(n.get("intents"))), strings(n.get("topics")), n.get("seq").longValue(),
                LogPosition.of(n.get("epoch").textValue(), n.get("at").textValue()),
                app == null ? null : new AppBinding(UUID.fromString(app.get("id").textValue()),
                        app.get("package").textValue(), app.get("user_session").textValue()));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.textValue()));
        return out;
    }
}
