package io.appmanager.gateway;

import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.WebSocketBase;
import org.jboss.logging.Logger;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;

/**
 * Writes a socket's frames straight to the Vert.x WebSocket under the WebSockets Next connection
 * (decision 0013). {@code WebSocketConnection.sendText} wraps every frame in a Mutiny {@code Uni},
 * and with context propagation installed every {@code Uni} takes a snapshot of the thread's
 * contexts (CDI, JTA, ...): in the fan-out profile that cost more per frame than the write itself.
 * WebSockets Next has no public accessor for the Vert.x socket, so the package-private one is looked
 * up once; if a Quarkus upgrade removes it, frames go through {@code sendText} as before (slower, same
 * behaviour), a warning says so at start, and {@code SocketWriterTest} fails so the upgrade notices.
 */
final class SocketWriter {

    private static final Logger LOG = Logger.getLogger(SocketWriter.class);

    /** {@code WebSocketConnectionBase.webSocket()}, or null when this Quarkus version has no such method. */
    private static final MethodHandle WEB_SOCKET = lookUp();

    private final WebSocketConnection connection;
    private final WebSocketBase socket;

    private SocketWriter(WebSocketConnection connection, WebSocketBase socket) {
        this.connection = connection;
        this.socket = socket;
    }

    static SocketWriter of(WebSocketConnection connection) {
        return new SocketWriter(connection, vertxSocket(connection));
    }

    /** Whether frames bypass {@code sendText}: false only after a Quarkus change this class did not foresee. */
    static boolean direct() {
        return WEB_SOCKET != null;
    }

    /** Writes one text frame; {@code done} (may be null) runs on the socket's event loop when it is written or failed. */
    void write(String frame, Handler<AsyncResult<Void>> done) {
        if (socket != null) {
            Future<Void> written = socket.writeTextMessage(frame);
            if (done != null) {
                written.onComplete(done);
            }
            return;
        }
        Uni<Void> sent = connection.sendText(frame);
        sent.subscribe().with(ok -> complete(done, Future.succeededFuture()), failure -> complete(done, Future.failedFuture(failure)));
    }

    private static void complete(Handler<AsyncResult<Void>> done, AsyncResult<Void> result) {
        if (done != null) {
            done.handle(result);
        }
    }

    private static WebSocketBase vertxSocket(WebSocketConnection connection) {
        if (WEB_SOCKET == null) {
            return null;
        }
        try {
            return (WebSocketBase) WEB_SOCKET.invoke(connection);
        } catch (Throwable e) {
            // a connection class without the accessor (a test double): the portable path still works
            return null;
        }
    }

    private static MethodHandle lookUp() {
        try {
            Class<?> base = Class.forName("io.quarkus.websockets.next.runtime.WebSocketConnectionBase", false,
                    SocketWriter.class.getClassLoader());
            Method m = base.getDeclaredMethod("webSocket");
            m.setAccessible(true);
            return MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(WebSocketBase.class, WebSocketConnection.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("frames are written through WebSocketConnection.sendText (slower fan-out): %s", e.toString());
            return null;
        }
    }
}
