package io.appmanager.gateway;

import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.buffer.Buffer;

/** The WebSocket route. Thin on purpose: {@link Gateway} decides, this only hands frames over. */
@WebSocket(path = "/ws")
public class GatewayEndpoint {

    private final Gateway gateway;

    public GatewayEndpoint(Gateway gateway) {
        this.gateway = gateway;
    }

    @OnOpen
    @NonBlocking
    public void open(WebSocketConnection connection) {
        gateway.onOpen(connection);
    }

    /** Received as bytes so the size limit is checked in bytes, before any decoding. */
    @OnTextMessage
    @NonBlocking
    public void text(WebSocketConnection connection, Buffer message) {
        gateway.onText(connection, message);
    }

    @OnBinaryMessage
    @NonBlocking
    public void binary(WebSocketConnection connection, Buffer message) {
        gateway.onBinary(connection);
    }

    @OnClose
    @NonBlocking
    public void close(WebSocketConnection connection) {
        gateway.onClose(connection);
    }

    @OnError
    @NonBlocking
    public void error(WebSocketConnection connection, Throwable failure) {
        gateway.onError(connection, failure);
    }
}
