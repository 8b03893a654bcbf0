package io.appmanager.gateway;

import io.appmanager.apps.AppSockets;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's SDK sockets by app session: at most one per app session, which is the local half of
 * "never two live instances" (the lifecycle's generations are the other half).
 */
@ApplicationScoped
public class AppConnections implements AppSockets {

    /** A socket accepted for an app session at a generation. */
    record Bound(GatewayConnection connection, long generation) {
    }

    /** How the gateway closes a socket with a final app code; set by the gateway at start. */
    interface Closer {
        void close(GatewayConnection c, int code, String reason);
    }

    private final Map<UUID, Bound> bound = new ConcurrentHashMap<>();
    /** The gateway session each app session last had here, live or parked, until it ends. */
    private final Map<UUID, GatewaySession> sessions = new ConcurrentHashMap<>();
    private volatile Closer closer;

    void closeWith(Closer closer) {
        this.closer = closer;
    }

    /** Binds an accepted socket; whatever was bound before was already closed by the lifecycle (4015). */
    void bind(UUID appSessionId, GatewayConnection c, long generation, GatewaySession session) {
        bound.put(appSessionId, new Bound(c, generation));
        sessions.put(appSessionId, session);
    }

    /** The gateway session the app session had on this node before, if it has not ended. */
    GatewaySession previousSession(UUID appSessionId) {
        GatewaySession s = sessions.get(appSessionId);
        return s == null || s.isEnded() ? null : s;
    }

    /** The gateway session ended (expired, signed off, replaced): forget it unless a newer one took its place. */
    void forget(UUID appSessionId, GatewaySession session) {
        sessions.remove(appSessionId, session);
    }

    /** @return the binding if {@code c} was still the session's socket (its close is then a drop), else null */
    Bound unbindIfCurrent(UUID appSessionId, GatewayConnection c) {
        Bound b = bound.get(appSessionId);
        return b != null && b.connection() == c && bound.remove(appSessionId, b) ? b : null;
    }


    Bound bound(UUID appSessionId) {
        return bound.get(appSessionId);
    }

    @Override
    public boolean isLive(UUID appSessionId) {
        return bound.containsKey(appSessionId);
    }

    /** How the gateway tells the other nodes to close a socket they hold; set by the gateway at start. */
    interface RemoteCloser {
        void close(UUID appSessionId, long upToGeneration, int code, String reason);
    }

    private volatile RemoteCloser remote = (id, upTo, code, reason) -> { };

    void remoteClosesWith(RemoteCloser remote) {
        this.remote = remote;
    }

    @Override
    public void close(UUID appSessionId, long upToGeneration, int code, String reason) {
        closeHere(appSessionId, upToGeneration, code, reason);
        remote.close(appSessionId, upToGeneration, code, reason);
    }

    /** The local half of {@link #close}: this node's socket for the app session, if it is old enough. */
    void closeHere(UUID appSessionId, long upToGeneration, int code, String reason) {
        Bound b = bound.get(appSessionId);
        if (b != null && b.generation() <= upToGeneration && bound.remove(appSessionId, b) && closer != null) {
            closer.close(b.connection(), code, reason);
        }
    }

    @Override
    public Map<UUID, Long> closeAll(int code, String reason) {
        Map<UUID, Long> closed = new HashMap<>();
        for (UUID id : bound.keySet()) {
            Bound b = bound.remove(id);
            if (b != null) {
                closed.put(id, b.generation());
                if (closer != null) {
                    closer.close(b.connection(), code, reason);
                }
            }
        }
        return closed;
    }
}
