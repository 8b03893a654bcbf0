package io.appmanager.sdk;

import java.net.http.WebSocket;

/**
 * What a socket reports to the state machine. Always invoked on the client's executor thread;
 * {@code generation} identifies the socket so reports from a replaced socket can be ignored.
 */
interface SocketEvents {

    /** The WebSocket handshake completed. */
    void socketOpened(int generation, WebSocket webSocket);

    /** A complete (reassembled) text message arrived. */
    void textReceived(int generation, String text);

    /** The server closed the socket. */
    void socketClosed(int generation, int code, String reason);

    /** The socket failed: I/O error, protocol error, failed send or failed handshake. */
    void socketFailed(int generation, Throwable error);
}
