package io.appmanager.apps;

import java.util.Map;
import java.util.UUID;

/**
 * The gateway as the app-session service sees it: the SDK sockets of app sessions on this node.
 * The gateway implements it; the dependency points from apps to this interface only.
 */
public interface AppSockets {

    /** Whether this node holds a socket for the app session (a close may be in flight: still true). */
    boolean isLive(UUID appSessionId);

    /**
     * Closes the socket the app session holds, on this node or another, if it was accepted at a generation
     * up to {@code upToGeneration}, with a final code. The socket is unbound first, so its close is not
     * reported back as a drop of the session; a newer socket is left alone.
     */
    void close(UUID appSessionId, long upToGeneration, int code, String reason);

    /**
     * Closes every app SDK socket on this node with {@code code}, unbinding each first (so no close is
     * reported back as a drop). Used when this node stops being an owner (its lease lapsed).
     *
     * @return the app sessions whose sockets were closed, with the generation each was accepted at
     */
    Map<UUID, Long> closeAll(int code, String reason);
}
