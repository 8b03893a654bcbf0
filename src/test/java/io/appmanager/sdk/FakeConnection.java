package io.appmanager.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Server side of one WebSocket connection in {@link FakeGateway}: just enough RFC 6455 for the
 * SDK (handshake, masked client frames, text/continuation/close/ping). Heartbeats are recorded
 * apart from other messages and acknowledged automatically unless told otherwise.
 */
final class FakeConnection {
    /** RFC 6455 section 1.3: fixed GUID appended to the key when computing the accept value. */
    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int OP_CONTINUATION = 0x0;
    private static final int OP_TEXT = 0x1;
    private static final int OP_CLOSE = 0x8;
    private static final int OP_PING = 0x9;
    private static final int OP_PONG = 0xA;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final List<JsonNode> messages = new CopyOnWriteArrayList<>();
    private final List<JsonNode> heartbeats = new CopyOnWriteArrayList<>();
    private volatile String requestTarget;
    private volatile boolean autoAckHeartbeats = true;
    private volatile boolean serverSentClose;
    private volatile Integer clientCloseCode;
    private volatile String clientCloseReason;

    FakeConnection(Socket socket) throws IOException {
        this.socket = socket;
        // Frames are tiny; without this, Nagle + delayed ACK add ~40 ms and fake heartbeat timeouts.
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    // ---- what the test inspects ----

    /** Request target of the upgrade request, e.g. {@code /ws?v=1&encoding=json}. */
    String requestTarget() {
        return requestTarget;
    }

    /** Client frames other than heartbeats, in arrival order. */
    List<JsonNode> messages() {
        return List.copyOf(messages);
    }

    /** Ops of {@link #messages()}, in order. */
    List<Integer> messageOps() {
        return messages.stream().map(m -> m.path("op").asInt()).collect(Collectors.toList());
    }

    List<JsonNode> heartbeats() {
        return List.copyOf(heartbeats);
    }

    /** Waits for the first client frame with this op. */
    JsonNode awaitMessage(int op) {
        return FakeGateway.eventually().until(() -> messages.stream()
                .filter(m -> m.path("op").asInt() == op).findFirst().orElse(null), m -> m != null);
    }

    /** Close code the client sent, or null. */
    Integer clientCloseCode() {
        return clientCloseCode;
    }

    String clientCloseReason() {
        return clientCloseReason;
    }

    void autoAckHeartbeats(boolean enabled) {
        this.autoAckHeartbeats = enabled;
    }

    // ---- what the test sends ----

    void hello(long heartbeatIntervalMillis) {
        send("{\"op\":5,\"data\":{\"heartbeat_interval\":" + heartbeatIntervalMillis + "}}");
    }

    void ready(String sessionId) {
        send(readyFrame(sessionId, "v1", "0.1.0", "0.1.0"));
    }

    static String readyFrame(String sessionId, String apiVersion, String minSdk, String latestSdk) {
        return "{\"op\":0,\"seq\":1,\"type\":\"ready\",\"data\":{"
                + "\"session_id\":\"" + sessionId + "\",\"user_id\":\"u-1\",\"api_version\":\"" + apiVersion + "\","
                + "\"server_version\":\"1.2.3\",\"heartbeat_interval\":45000,\"resume_window_ms\":120000,"
                + "\"topics\":[\"messages\",\"presence\"],"
                + "\"sdk\":{\"min_version\":\"" + minSdk + "\",\"latest_version\":\"" + latestSdk + "\"}}}";
    }

    void event(long seq, String type) {
        send("{\"op\":0,\"seq\":" + seq + ",\"type\":\"" + type + "\",\"data\":{\"n\":" + seq + "}}");
    }

    void resumed(String sessionId, long seq, int replayed) {
        send("{\"op\":0,\"seq\":" + seq + ",\"type\":\"resumed\",\"data\":{\"session_id\":\"" + sessionId
                + "\",\"seq\":" + seq + ",\"replayed\":" + replayed + "}}");
    }

    /** Sends one text message split across two frames, to exercise the client's reassembly. */
    void sendFragmented(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        int half = bytes.length / 2;
        byte[] first = java.util.Arrays.copyOfRange(bytes, 0, half);
        byte[] second = java.util.Arrays.copyOfRange(bytes, half, bytes.length);
        synchronized (out) {
            writeFrame(OP_TEXT, false, first);
            writeFrame(OP_CONTINUATION, true, second);
        }
    }

    void send(String json) {
        writeFrame(OP_TEXT, true, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Starts a close handshake with this code; the socket closes when the client echoes. */
    void closeWith(int code, String reason) {
        serverSentClose = true;
        writeFrame(OP_CLOSE, true, closePayload(code, reason));
    }

    /** Drops the TCP connection without a close frame. */
    void dropTcp() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    // ---- protocol ----

    void handshake() throws IOException {
        String request = readRequestHead();
        String[] lines = request.split("\r\n");
        requestTarget = lines[0].split(" ")[1];
        String key = null;
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-key")) {
                key = line.substring(colon + 1).trim();
            }
        }
        if (key == null) {
            throw new IOException("not a WebSocket upgrade: " + lines[0]);
        }
        String response = "HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + acceptValue(key) + "\r\n\r\n";
        synchronized (out) {
            out.write(response.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    void readLoop() {
        ByteArrayOutputStream textMessage = new ByteArrayOutputStream();
        try {
            while (true) {
                int first = in.readUnsignedByte();
                int second = in.readUnsignedByte();
                boolean fin = (first & 0x80) != 0;
                int opcode = first & 0x0F;
                long length = second & 0x7F;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] mask = new byte[4];
                boolean masked = (second & 0x80) != 0;
                if (masked) {
                    in.readFully(mask);
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                if (masked) {
                    for (int i = 0; i < payload.length; i++) {
                        payload[i] ^= mask[i % 4];
                    }
                }
                if (opcode == OP_TEXT || opcode == OP_CONTINUATION) {
                    textMessage.write(payload);
                    if (fin) {
                        onClientText(textMessage.toString(StandardCharsets.UTF_8));
                        textMessage.reset();
                    }
                } else if (opcode == OP_CLOSE) {
                    onClientClose(payload);
                    return;
                } else if (opcode == OP_PING) {
                    writeFrame(OP_PONG, true, payload);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            dropTcp();
        }
    }

    private void onClientText(String text) throws IOException {
        JsonNode frame = JSON.readTree(text);
        if (frame.path("op").asInt() == OpCodes.HEARTBEAT) {
            heartbeats.add(frame);
            if (autoAckHeartbeats) {
                send("{\"op\":4}");
            }
        } else {
            messages.add(frame);
        }
    }

    private void onClientClose(byte[] payload) {
        if (payload.length >= 2) {
            clientCloseReason = new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
            clientCloseCode = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        } else {
            clientCloseReason = "";
            clientCloseCode = 1005; // RFC 6455: close frame without a status code
        }
        if (!serverSentClose) {
            try {
                writeFrame(OP_CLOSE, true, payload);
            } catch (UncheckedIOException ignored) {
                // the client may already have dropped the connection
            }
        }
        dropTcp();
    }

    private String readRequestHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] terminator = {'\r', '\n', '\r', '\n'};
        while (matched < terminator.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed during handshake");
            }
            head.write(b);
            matched = b == terminator[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private void writeFrame(int opcode, boolean fin, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame.write(126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        } else {
            frame.write(127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xFF);
            }
        }
        frame.writeBytes(payload);
        synchronized (out) {
            try {
                out.write(frame.toByteArray());
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static byte[] closePayload(int code, String reason) {
        byte[] reasonBytes = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + reasonBytes.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(reasonBytes, 0, payload, 2, reasonBytes.length);
        return payload;
    }

    static String acceptValue(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is mandatory in every JDK", e);
        }
    }
}
