package io.appmanager.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client with no protocol knowledge, for testing the gateway frame by frame: it
 * sends what it is told, records every frame and the close code. Built on the JDK client, so it
 * shares no code with the server (Netty) or with our SDK's state machine.
 */
public final class RawSocket implements AutoCloseable {

    public record Closed(int code, String reason) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final WebSocket ws;
    private volatile boolean paused;

    private RawSocket(URI uri, boolean pauseReading) throws Exception {
        this.paused = pauseReading;
        this.ws = HTTP.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(uri, new Listener())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    public static RawSocket connect(URI uri) throws Exception {
        return new RawSocket(uri, false);
    }

    /** Connects and reads nothing until {@link #resumeReading()}: a client that stopped consuming. */
    public static RawSocket connectNotReading(URI uri) throws Exception {
        return new RawSocket(uri, true);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            if (!paused) {
                webSocket.request(1);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            if (!paused) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Closed(1006, String.valueOf(error)));
        }
    }

    public RawSocket send(String text) {
        ws.sendText(text, true).join();
        return this;
    }

    public RawSocket send(Object frame) {
        try {
            return send(JSON.writeValueAsString(frame));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends one text message as several frames (a continuation sequence). */
    public RawSocket sendFragmented(String text, int parts) {
        int size = (text.length() + parts - 1) / parts;
        for (int i = 0; i < text.length(); i += size) {
            ws.sendText(text.substring(i, Math.min(text.length(), i + size)), i + size >= text.length()).join();
        }
        return this;
    }

    public RawSocket sendBinary(byte[] bytes) {
        ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
        return this;
    }

    /** The next frame, parsed; fails the test if none arrives in time. */
    public JsonNode next() {
        return next(WAIT);
    }

    public JsonNode next(Duration wait) {
        try {
            String f = frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (f == null) {
                throw new AssertionError("no frame within " + wait + (closed.isDone() ? "; socket closed " + closed.join() : ""));
            }
            return JSON.readTree(f);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (Exception e) {
            throw new AssertionError("frame is not JSON", e);
        }
    }

    /** Skips frames until one with this op (and for op 0, this type) arrives. */
    public JsonNode nextOf(int op, String type) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode f = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (f.path("op").asInt() == op && (type == null || type.equals(f.path("type").asText()))) {
                return f;
            }
        }
        throw new AssertionError("no op " + op + " " + type);
    }

    /** Frames that arrived and were not yet read; does not wait. */
    public List<JsonNode> drainReceived() {
        List<String> raw = new ArrayList<>();
        frames.drainTo(raw);
        List<JsonNode> out = new ArrayList<>();
        for (String r : raw) {
            try {
                out.add(JSON.readTree(r));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    /** Frames received and not yet read. */
    public int drainReceivedCount() {
        return frames.size();
    }

    public Closed awaitClose() {
        try {
            return closed.get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("socket did not close in time", e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    public void resumeReading() {
        paused = false;
        ws.request(Long.MAX_VALUE);
    }

    /** Drops the TCP connection without a close frame: what a network failure looks like to the server. */
    public void abort() {
        ws.abort();
        closed.complete(new Closed(1006, "aborted by test"));
    }

    /** A deliberate sign-off with this code. */
    public void closeWith(int code, String reason) {
        ws.sendClose(code, reason).join();
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            ws.abort();
        }
    }
}
