package io.appmanager.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * N Socket.IO clients over Vert.x WebSockets, speaking engine.io v4 / socket.io v5 framing directly
 * (no Java socket.io library: docs/decisions/0012-benchmark-harness.md). Per session:
 * <ol>
 *   <li>connect to {@code /socket.io/?EIO=4&transport=websocket}; the server sends the engine.io
 *       open packet {@code 0{"sid":…,"pingInterval":…}};</li>
 *   <li>send {@code 40<auth>} (socket.io CONNECT to namespace "/" with the auth object; the
 *       session's "token" from {@link Target#sessionToken} is that auth object, with its topic);
 *       on a reconnect {@code pid} and {@code offset} are added, as socket.io-client does;</li>
 *   <li>the server answers {@code 40{"sid":…,"pid":…}} (subscribed) or {@code 44{…}} (refused);</li>
 *   <li>engine.io pings {@code 2} are answered with pongs {@code 3};</li>
 *   <li>events arrive as {@code 42["message",{…body…},"<offset>"]}: the trailing string is the
 *       connection-state-recovery offset, kept as the session's last offset.</li>
 * </ol>
 * Counting and latency are as in {@link Sessions}: the body's {@code data.i} is the event index,
 * {@code data.t} the publish time, and {@code seq} the server's per-topic order (server.js stamps it,
 * as AppManager does; the publisher has several requests in flight, so index order is not delivery
 * order): a seq that is not the previous one + 1 counts as out of order. Same source-address spreading (one {@link WebSocketClient} per 127.0.0.x).
 *
 * <p>Recovery: {@link Session#reconnect()} drops the socket and connects again with the kept pid and
 * offset; {@link Session#recovered()} tells whether the server gave the same pid back (socket.io's
 * {@code socket.recovered}), in which case the missed events follow (the reconnect storm, scenario 3).
 */
public final class SocketIoSessions implements Subscribers {

    static final String URI = "/socket.io/?EIO=4&transport=websocket";

    private final Vertx vertx;
    private final Sessions.Options options;
    private final LatencyRecorder latency;
    private final List<WebSocketClient> clients = new ArrayList<>();
    private final List<Session> sessions = new ArrayList<>();
    final LongAdder delivered = new LongAdder();
    final LongAdder outOfOrder = new LongAdder();
    final LongAdder closedUnexpectedly = new LongAdder();
    final LongAdder otherPackets = new LongAdder();
    private volatile boolean closing;

    public SocketIoSessions(Vertx vertx, Sessions.Options options, LatencyRecorder latency) {
        this.vertx = vertx;
        this.options = options;
        this.latency = latency;
        this.clients.addAll(Connecting.clientsPerSourceAddress(vertx, options));
    }

    @Override
    public CompletableFuture<Void> open(IntFunction<String> authForSession) {
        int n = options.sessions();
        for (int i = 0; i < n; i++) {
            sessions.add(new Session(i, authForSession.apply(i)));
        }
        return Connecting.paced(n, options.connectsInFlight(), i -> sessions.get(i).connect(), "socket.io session");
    }

    @Override
    public List<Session> sessions() {
        return sessions;
    }

    /** Socket.IO always asks for recovery when it has a pid; {@code resume} false is not a Socket.IO client's choice. */
    @Override
    public Future<Boolean> reconnect(int i, boolean resume) {
        Session s = sessions.get(i);
        return s.connect().map(v -> s.recovered());
    }


    @Override
    public long delivered() {
        return delivered.sum();
    }

    @Override
    public long outOfOrder() {
        return outOfOrder.sum();
    }

    @Override
    public long closedUnexpectedly() {
        return closedUnexpectedly.sum();
    }

    @Override
    public void close() {
        closing = true;
        for (Session s : sessions) {
            s.close();
        }
        for (WebSocketClient c : clients) {
            Connecting.closeWithin5s(c.close());
        }
    }

    /** The offset socket.io appends to an event when connection state recovery is on: {@code …,"<offset>"]}, or null. */
    static String trailingOffset(String packet) {
        if (!packet.endsWith("\"]")) {
            return null;
        }
        int open = packet.lastIndexOf(",\"", packet.length() - 3);
        return open < 0 ? null : packet.substring(open + 2, packet.length() - 2);
    }

    /** The CONNECT packet: {@code 40} and the auth object, with pid and offset merged in when recovering. */
    static String connectPacket(String auth, String pid, String offset) {
        if (pid == null) {
            return "40" + auth;
        }
        String head = "{\"pid\":\"" + pid + "\"" + (offset == null ? "" : ",\"offset\":\"" + offset + "\"");
        String rest = auth.trim().substring(1).trim();
        return "40" + head + (rest.equals("}") ? "}" : "," + rest);
    }

    /** One Socket.IO client: its socket, pid, last offset and what it received. */
    public final class Session implements Member {
        final int index;
        final String auth;
        /** The socket whose packets count; null once dropped. */
        volatile WebSocket ws;
        /** The connection under {@link #ws} once connected, for {@link AbruptClose}. */
        volatile WebSocket connection;
        volatile String sid;
        volatile String pid;
        volatile String lastOffset;
        volatile boolean recovered;
        volatile long lastSeq = -1;
        volatile long lastIndex = -1;
        long received;
        final List<Long> indexes;

        Session(int index, String auth) {
            this.index = index;
            this.auth = auth;
            this.indexes = options.keepIndexes() ? new ArrayList<>() : null;
        }

        Future<Void> connect() {
            Promise<Void> ready = Promise.promise();
            String sentPid = pid;
            // handlers before the handshake and the connect on an event loop, as in Sessions: the open packet comes at once
            ClientWebSocket socket = clients.get(index % clients.size()).webSocket();
            ws = socket;
            socket.textMessageHandler(packet -> onPacket(socket, packet, sentPid, ready));
            socket.closeHandler(v -> {
                if (!closing && ws == socket) {
                    closedUnexpectedly.increment();
                }
                ready.tryFail("closed before CONNECT: " + socket.closeStatusCode() + " " + socket.closeReason());
            });
            Connecting.onEventLoop(vertx, () -> socket.connect(new WebSocketConnectOptions().setHost(options.host())
                            .setPort(options.port()).setURI(URI))
                    .onSuccess(connected -> connection = connected)
                    .onFailure(ready::tryFail));
            return ready.future();
        }

        /**
         * Drops the socket without a socket.io DISCONNECT or a WebSocket close frame ({@link AbruptClose}), as a
         * lost network would: the server keeps the session's state for recovery.
         */
        @Override
        public void drop() {
            WebSocket old = ws;
            WebSocket underneath = connection;
            ws = null;
            connection = null;
            AbruptClose.drop(old, underneath);
        }

        /** {@link #drop()}, then connect again with the kept pid and offset, asking the server to recover. */
        public Future<Void> reconnect() {
            drop();
            return connect();
        }

        private void onPacket(WebSocket socket, String packet, String sentPid, Promise<Void> ready) {
            if (ws != socket) {
                // read from a socket we dropped, before its close ran: lost with the connection, as on a network drop
                return;
            }
            long now = System.nanoTime();
            if (packet.startsWith("42")) {
                long i = Frames.number(packet, "i", -1);
                long t = Frames.number(packet, "t", -1);
                long seq = Frames.number(packet, "seq", -1);
                if (i >= 0 && t >= 0) {
                    if (lastSeq >= 0 && seq != lastSeq + 1) {
                        outOfOrder.increment();
                    }
                    lastSeq = seq;
                    lastIndex = i;
                    latency.delivered(t, now);
                    received++;
                    if (indexes != null) {
                        indexes.add(i);
                    }
                    delivered.increment();
                } else {
                    otherPackets.increment();
                }
                String offset = trailingOffset(packet);
                if (offset != null) {
                    lastOffset = offset;
                }
            } else if (packet.equals("2")) {
                socket.writeTextMessage("3");
            } else if (packet.startsWith("0{")) {
                socket.writeTextMessage(connectPacket(auth, sentPid, lastOffset));
            } else if (packet.startsWith("40")) {
                sid = Frames.string(packet, "sid");
                String newPid = Frames.string(packet, "pid");
                recovered = sentPid != null && sentPid.equals(newPid);
                pid = newPid;
                ready.tryComplete();
            } else if (packet.startsWith("44")) {
                ready.tryFail("socket.io refused the connection: " + packet);
            } else {
                otherPackets.increment();
            }
        }

        public long received() {
            return received;
        }

        @Override
        public List<Long> indexes() {
            return indexes;
        }

        public boolean recovered() {
            return recovered;
        }

        void close() {
            WebSocket s = ws;
            if (s != null && !s.isClosed()) {
                s.close((short) 1000);
            }
        }
    }
}
