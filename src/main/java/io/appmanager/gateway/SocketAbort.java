package io.appmanager.gateway;

import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.http.impl.WebSocketImplBase;
import org.jboss.logging.Logger;

import java.lang.reflect.Field;

/**
 * The one place we reach under WebSockets Next. A close frame queued behind megabytes a client
 * is not reading never leaves, so the close handshake (and Vert.x's closing timeout, which starts
 * once the frame is flushed) never completes and the socket would hang on forever. WebSockets Next
 * offers no way to drop the TCP connection itself; this takes the Vert.x socket underneath and
 * closes its Netty channel, which discards what is still buffered for it. If a Quarkus upgrade moves the field, {@link #abort} reports false and the
 * socket is left to the graceful close (logged once at startup by the test suite's use of it).
 */
final class SocketAbort {

    private static final Logger LOG = Logger.getLogger(SocketAbort.class);
    private static final Field WEB_SOCKET = find();
    /** Wrappers seen: one (Vert.x Web's). A few more levels cost nothing and survive a new layer. */
    private static final int MAX_WRAPPERS = 4;

    private SocketAbort() {
    }

    private static Field find() {
        try {
            Field f = Class.forName("io.quarkus.websockets.next.runtime.WebSocketConnectionImpl").getDeclaredField("webSocket");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("cannot reach the Vert.x socket under WebSockets Next; stuck closes will rely on TCP timeouts", e);
            return null;
        }
    }

    /** Drops the TCP connection without a close handshake. @return whether it could */
    static boolean abort(WebSocketConnection connection) {
        if (WEB_SOCKET == null) {
            return false;
        }
        try {
            Object target = io.quarkus.arc.ClientProxy.unwrap(connection);
            if (!WEB_SOCKET.getDeclaringClass().isInstance(target)) {
                LOG.debugf("unexpected connection type %s", target.getClass());
                return false;
            }
            Object ws = unwrap(WEB_SOCKET.get(target));
            if (ws instanceof WebSocketImplBase<?> impl) {
                impl.channelHandlerContext().channel().close();
                return true;
            }
            LOG.debugf("unexpected socket type %s", ws == null ? null : ws.getClass());
        } catch (IllegalAccessException | IllegalArgumentException e) {
            LOG.debug("socket abort failed", e);
        }
        return false;
    }

    /** Vert.x Web wraps the socket (ServerWebSocketWrapper) to fix up host and scheme; look through wrappers. */
    private static Object unwrap(Object ws) throws IllegalAccessException {
        for (int depth = 0; depth < MAX_WRAPPERS && ws != null && !(ws instanceof WebSocketImplBase<?>); depth++) {
            Field delegate = null;
            for (Class<?> c = ws.getClass(); c != null && delegate == null; c = c.getSuperclass()) {
                try {
                    delegate = c.getDeclaredField("delegate");
                } catch (NoSuchFieldException e) {
                    // try the superclass
                }
            }
            if (delegate == null) {
                return ws;
            }
            delegate.setAccessible(true);
            ws = delegate.get(ws);
        }
        return ws;
    }
}
