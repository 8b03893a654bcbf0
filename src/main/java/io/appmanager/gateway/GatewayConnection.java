package io.appmanager.gateway;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * Per-socket state, kept in one place: the handshake phase, the inbound frame budget, the
 * heartbeat clock, the outbound queue, the session once there is one, and how the socket is
 * meant to end. Only the socket's event loop mutates it, except {@link #outbound()} which is
 * thread-safe.
 */
final class GatewayConnection {

    /** What a server-initiated close means for the session. */
    enum CloseIntent {
        /** The client dropped, timed out, was too slow, or we are draining: keep the session resumable. */
        PARK,
        /** Abuse or a protocol violation: the session ends, as accordserver does. */
        END
    }

    private final WebSocketConnection socket;
    private final Outbound outbound;
    private final FrameBudget budget;
    private InboundRules.Phase phase = InboundRules.Phase.HANDSHAKE;
    private GatewaySession session;
    private long lastHeartbeatNanos;
    private long handshakeTimer = -1;
    private long heartbeatTimer = -1;
    private CloseIntent serverCloseIntent;
    /** An app IDENTIFY or RESUME is being decided (a database round trip); a second one is refused. */
    private boolean attaching;

    GatewayConnection(WebSocketConnection socket, Outbound.Factory outbound, FrameBudget budget, long nowNanos) {
        this.socket = socket;
        this.outbound = outbound.create(socket, this);
        this.budget = budget;
        this.lastHeartbeatNanos = nowNanos;
    }

    String id() {
        return socket.id();
    }

    WebSocketConnection socket() {
        return socket;
    }

    Outbound outbound() {
        return outbound;
    }

    FrameBudget budget() {
        return budget;
    }

    InboundRules.Phase phase() {
        return phase;
    }

    void ready(GatewaySession s) {
        this.session = s;
        this.phase = InboundRules.Phase.READY;
    }

    GatewaySession session() {
        return session;
    }

    boolean attaching() {
        return attaching;
    }

    void attaching(boolean attaching) {
        this.attaching = attaching;
    }

    void heartbeat(long nowNanos) {
        lastHeartbeatNanos = nowNanos;
    }

    long lastHeartbeatNanos() {
        return lastHeartbeatNanos;
    }

    void handshakeTimer(long id) {
        handshakeTimer = id;
    }

    long handshakeTimer() {
        return handshakeTimer;
    }

    void heartbeatTimer(long id) {
        heartbeatTimer = id;
    }

    long heartbeatTimer() {
        return heartbeatTimer;
    }

    /** Null when the client (or the network) closed the socket; ours otherwise. */
    CloseIntent serverCloseIntent() {
        return serverCloseIntent;
    }

    boolean isClosing() {
        return phase == InboundRules.Phase.CLOSING;
    }

    /**
     * Closes after everything already queued (INVALID_SESSION, RECONNECT) is written. The first
     * decision to close wins; later ones are ignored.
     */
    boolean close(CloseCodes code, String reason, CloseIntent intent) {
        if (phase == InboundRules.Phase.CLOSING) {
            return false;
        }
        phase = InboundRules.Phase.CLOSING;
        serverCloseIntent = intent;
        outbound.stop();
        outbound.afterQueued(() -> {
            // The peer may have gone meanwhile (a drop racing our decision): nothing to close then.
            if (socket.isOpen()) {
                socket.close(new CloseReason(code.code, CloseCodes.fit(reason))).subscribe().with(ok -> { }, err -> { });
            }
        });
        return true;
    }
}
