package io.appmanager.bench;

import io.vertx.core.http.WebSocket;
import io.vertx.core.http.impl.WebSocketInternal;

/**
 * Drops a client WebSocket the way a lost network or a killed client does: the TCP connection goes
 * without a WebSocket close frame, so the server must treat the session as dropped (park it for
 * RESUME, keep Socket.IO's state for recovery), not signed off. Vert.x 4.5's public {@link WebSocket}
 * only closes with a close frame; the socket its client hands out is a {@link WebSocketInternal},
 * whose Netty channel we close at the bottom of its pipeline (a FIN without a close frame; nothing
 * already queued is flushed).
 */
final class AbruptClose {

    private AbruptClose() {
    }

    /**
     * Drops {@code socket} through {@code underneath}, the connection its client's connect future gave
     * ({@link io.vertx.core.http.ClientWebSocket} is a wrapper around it); if that is not a Vert.x
     * internal one or not there yet (still connecting), closes {@code socket} the ordinary way.
     */
    static void drop(WebSocket socket, WebSocket underneath) {
        if (underneath instanceof WebSocketInternal internal) {
            // From the first handler's context, not the channel: Netty's WebSocket protocol handler in the
            // pipeline turns a channel close into a close frame 1000 first (a deliberate sign-off, which ends
            // an Accord session); a close started below it reaches the socket untouched.
            internal.channelHandlerContext().pipeline().firstContext().close();
        } else if (socket != null && !socket.isClosed()) {
            socket.close();
        }
    }
}
