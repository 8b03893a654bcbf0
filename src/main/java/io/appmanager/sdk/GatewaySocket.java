package io.appmanager.sdk;

import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One open JDK WebSocket as the state machine uses it. Confined to the client's executor thread.
 *
 * <p>The JDK rejects a text send while the previous one is incomplete, so sends are chained.
 */
final class GatewaySocket {
    /**
     * After sending our close frame we give the server this long to answer before dropping the
     * TCP connection: enough for a healthy server on any network, short enough that a dead one
     * does not hold a file descriptor.
     */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private final WebSocket webSocket;
    private final Consumer<Throwable> sendFailureHandler;
    private CompletableFuture<WebSocket> sendChain;

    /**
     * @param webSocket          the open socket
     * @param sendFailureHandler called (on a JDK thread) when a send fails; must hand off itself
     */
    GatewaySocket(WebSocket webSocket, Consumer<Throwable> sendFailureHandler) {
        this.webSocket = webSocket;
        this.sendFailureHandler = sendFailureHandler;
        this.sendChain = CompletableFuture.completedFuture(webSocket);
    }

    /** Sends a text frame after every earlier one. */
    void send(String text) {
        sendChain = sendChain.thenCompose(ws -> ws.sendText(text, true));
        sendChain.whenComplete((ws, error) -> {
            if (error != null) {
                sendFailureHandler.accept(error);
            }
        });
    }

    /**
     * Sends a close frame after pending sends, and aborts the TCP connection after
     * {@link #CLOSE_GRACE} in case the server never answers. Callers stop listening to this
     * socket immediately; the close handshake finishes in the background.
     */
    void close(int code, String reason) {
        sendChain.handle((ws, error) -> null)
                .thenCompose(ignored -> webSocket.sendClose(code, reason));
        CompletableFuture.delayedExecutor(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                .execute(webSocket::abort);
    }

    /** Drops the connection without a close frame, as a network failure would. */
    void abort() {
        webSocket.abort();
    }
}
