package io.appmanager.sdk;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * JDK listener for one socket. It runs on the HttpClient's threads, so it does nothing but
 * reassemble text and hand everything to the client's executor, tagged with its generation.
 */
final class SocketListener implements WebSocket.Listener {
    private final int generation;
    private final SocketEvents events;
    private final Executor handoff;
    /** JDK listener invocations are sequential (happens-before), so no lock is needed. */
    private final StringBuilder partialText = new StringBuilder();

    SocketListener(int generation, SocketEvents events, Executor handoff) {
        this.generation = generation;
        this.events = events;
        this.handoff = handoff;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        post(() -> events.socketOpened(generation, webSocket));
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        // The CharSequence may be reused once this returns, so copy it now.
        partialText.append(data);
        if (last) {
            String message = partialText.toString();
            partialText.setLength(0);
            post(() -> events.textReceived(generation, message));
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        // The protocol is JSON text only; binary frames are skipped rather than fatal.
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        post(() -> events.socketClosed(generation, statusCode, reason));
        // Returning null lets the JDK echo the close right away.
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        post(() -> events.socketFailed(generation, error));
    }

    private void post(Runnable task) {
        try {
            handoff.execute(task);
        } catch (RejectedExecutionException clientTerminated) {
            // The client is CLOSED or FAILED; late socket news no longer matters.
        }
    }
}
