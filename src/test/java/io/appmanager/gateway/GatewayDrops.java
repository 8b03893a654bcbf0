package io.appmanager.gateway;

/**
 * For tests outside this package whose client is not a Java socket they hold (a browser): the server drops
 * the live sockets of one principal's sessions, as a network blip would, closing with 4000 and parking
 * the session, then cutting the TCP connection (as ChurnTest's chaos drop does).
 */
public final class GatewayDrops {

    private GatewayDrops() {
    }

    /** Drops every live socket whose session's token has this {@code sub}; answers how many. */
    public static int dropSocketsOf(SessionRegistry registry, String sub) {
        int dropped = 0;
        for (GatewayConnection c : registry.connections()) {
            GatewaySession s = c.session();
            if (s != null && !c.isClosing() && sub.equals(s.principal().id())) {
                c.outbound().onLoop(() -> {
                    c.close(CloseCodes.UNKNOWN_ERROR, "test drop", GatewayConnection.CloseIntent.PARK);
                    SocketAbort.abort(c.socket());
                });
                dropped++;
            }
        }
        return dropped;
    }
}
