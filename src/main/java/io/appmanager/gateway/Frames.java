package io.appmanager.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.appmanager.fanout.EncodedEvent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The frames the server sends, as text. Event frames come from {@link EncodedEvent#frame}. */
final class Frames {

    static final String HEARTBEAT_ACK = "{\"op\":4}";
    static final String RECONNECT = "{\"op\":6,\"data\":null}";
    /** INVALID_SESSION's data is a bare boolean: what AccordKit and Discord clients read. */
    static final String INVALID_SESSION_NOT_RESUMABLE = "{\"op\":7,\"data\":false}";

    private final ObjectMapper json;

    Frames(ObjectMapper json) {
        this.json = json;
    }

    static String hello(long heartbeatIntervalMs) {
        return "{\"op\":5,\"data\":{\"heartbeat_interval\":" + heartbeatIntervalMs + "}}";
    }

    record Ready(String session_id, String user_id, String api_version, String server_version,
                 long heartbeat_interval, long resume_window_ms, List<String> topics, Sdk sdk,
                 @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                 AppReady app_session) {
        Ready(String session_id, String user_id, String api_version, String server_version,
              long heartbeat_interval, long resume_window_ms, List<String> topics, Sdk sdk) {
            this(session_id, user_id, api_version, server_version, heartbeat_interval, resume_window_ms, topics, sdk, null);
        }
    }

    /** READY's {@code app_session} for an app SDK (docs/protocol.md, "App sessions"). */
    record AppReady(String id, String package_name, String user_session_id, String state, long generation,
                    String reconnect_token, List<String> subscriptions, List<String> pending_correlation_ids,
                    List<String> dropped_correlation_ids, long grace_ms, Reconnect reconnect, long replayed_after_ready) {
    }

    /** Null in READY when this connection is not a reconnect (a first connect or a resurrected instance). */
    record Reconnect(boolean inferred, String reason) {
    }

    record Sdk(String min_version, String latest_version) {
    }

    String ready(Ready ready) {
        return event(GatewaySession.READY_SEQ, "ready", ready);
    }

    String resumed(String sessionId, long seq, long replayed) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("session_id", sessionId);
        data.put("seq", seq);
        data.put("replayed", replayed);
        return event(seq, "resumed", data);
    }

    /** A session-only event (no topic), e.g. {@code subscriptions.update}. */
    EncodedEvent direct(String type, Object data) {
        return EncodedEvent.encode(json, 0, type, List.of(), data);
    }

    private String event(long seq, String type, Object data) {
        return EncodedEvent.encode(json, 0, type, List.of(), data).frame(seq);
    }
}
