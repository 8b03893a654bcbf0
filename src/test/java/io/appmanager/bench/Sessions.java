package io.appmanager.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * N gateway sessions over Vert.x WebSockets, each speaking as much Accord as a subscriber needs:
 * on HELLO it sends IDENTIFY (the token's {@code topics} claim subscribes it), it answers the HELLO
 * heartbeat interval with HEARTBEATs, and it counts op-0 events by type, recording each
 * {@code message.create}'s publish-to-deliver latency.
 *
 * <p>Source addresses: Vert.x 4.5 has no local address on {@link WebSocketConnectOptions}; it is
 * a client-wide option, {@code ClientOptionsBase.setLocalAddress(String)}, inherited by
 * {@link WebSocketClientOptions}. So there is one {@link WebSocketClient} per source address
 * 127.0.0.1 … 127.0.0.k (all of 127/8 is loopback on Linux), and session i uses client i mod k:
 * each address has its own ephemeral port range, so N may exceed one address's ~28k ports.
 */
public final class Sessions implements Subscribers {

    /** The gateway's path with the protocol version and encoding every Accord client asks for. */
    static final String URI = "/ws?v=1&encoding=json";

    /** Where to connect and how many sessions, over how many source addresses. */
    public record Options(String host, int port, String uri, int sessions, int sourceAddresses, int connectsInFlight,
                          boolean keepIndexes) {
        public Options {
            if (sourceAddresses < 1 || sourceAddresses > 254) {
                throw new IllegalArgumentException("sourceAddresses must be 1..254");
            }
        }
    }

    private final Vertx vertx;
    private final Options options;
    private final LatencyRecorder latency;
    private final List<WebSocketClient> clients = new ArrayList<>();
    private final List<Session> sessions = new ArrayList<>();
    final LongAdder delivered = new LongAdder();
    final LongAdder outOfOrder = new LongAdder();
    final LongAdder closedUnexpectedly = new LongAdder();
    final LongAdder otherEvents = new LongAdder();
    private volatile boolean closing;

    public Sessions(Vertx vertx, Options options, LatencyRecorder latency) {
        this.vertx = vertx;
        this.options = options;
        this.latency = latency;
        this.clients.addAll(Connecting.clientsPerSourceAddress(vertx, options));
    }

    /**
     * Opens every session (at most {@code connectsInFlight} handshakes at a time, so the server's
     * accept backlog does not overflow) and completes when all have had READY.
     */
    public CompletableFuture<Void> open(IntFunction<String> tokenForSession) {
        int n = options.sessions();
        for (int i = 0; i < n; i++) {
            String token = tokenForSession.apply(i);
            sessions.add(new Session(i, token, Frames.identify(token)));
        }
        return Connecting.paced(n, options.connectsInFlight(), i -> sessions.get(i).connect(), "session");
    }

    /**
     * {@link #open} with the whole IDENTIFY frame of session i given, e.g. an app SDK's (API key and
     * properties). Such sessions have no user token, so they cannot RESUME after {@code drop}.
     */
    public CompletableFuture<Void> openIdentifying(IntFunction<String> identifyFrame) {
        int n = options.sessions();
        for (int i = 0; i < n; i++) {
            sessions.add(new Session(i, null, identifyFrame.apply(i)));
        }
        return Connecting.paced(n, options.connectsInFlight(), i -> sessions.get(i).connect(), "session");
    }

    @Override
    public Future<Boolean> reconnect(int i, boolean resume) {
        Session s = sessions.get(i);
        return s.reconnect(resume).map(v -> !resume || (s.resumed && s.sessionId.equals(s.sessionIdAfterReconnect)));
    }


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
    public List<Session> sessions() {
        return sessions;
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

    /** One session: its socket, last seq and what it received. */
    public final class Session implements Member {
        final int index;
        /** The user token RESUME carries; null for sessions opened with a whole IDENTIFY frame. */
        final String token;
        final String identify;
        /** The socket whose frames count; null once dropped. */
        volatile WebSocket ws;
        /** The connection under {@link #ws} once connected (the client's socket is a wrapper), for {@link AbruptClose}. */
        volatile WebSocket connection;
        volatile String sessionId;
        volatile long lastSeq = -1;
        volatile long lastIndex = -1;
        long received;
        /** Every event index in arrival order; only with {@code keepIndexes} (smoke mode, reconnect storm). */
        final List<Long> indexes;
        long heartbeatTimer = -1;
        /** Whether HELLO came on the latest socket: a handshake timeout then tells which side stalled. */
        volatile boolean helloSeen;
        /** After {@link #reconnect}: the session id READY or {@code resumed} gave the new socket. */
        volatile String sessionIdAfterReconnect;
        /** After {@link #reconnect}: {@code resumed} arrived (false: a READY, i.e. a fresh session). */
        volatile boolean resumed;

        Session(int index, String token, String identify) {
            this.identify = identify;
            this.index = index;
            this.token = token;
            this.indexes = options.keepIndexes() ? new ArrayList<>() : null;
        }

        Future<Void> connect() {
            return connect(false);
        }

        /**
         * Connects again after {@link #drop}: with {@code resume} it sends RESUME with the kept session id
         * and last seq and completes on {@code resumed} (after the replay); without, it IDENTIFYs afresh
         * (a server without resume) and completes on READY. Fails on INVALID_SESSION or a close.
         */
        public Future<Void> reconnect(boolean resume) {
            resumed = false;
            sessionIdAfterReconnect = null;
            return connect(resume);
        }

        private Future<Void> connect(boolean resume) {
            Promise<Void> ready = Promise.promise();
            // handlers on the socket before it connects, and the connect on an event loop (Connecting.onEventLoop):
            // only together do they hold before HELLO, which the server sends the moment the socket opens
            ClientWebSocket socket = clients.get(index % clients.size()).webSocket();
            ws = socket;
            helloSeen = false;
            socket.textMessageHandler(frame -> onFrame(socket, frame, resume, ready));
            socket.closeHandler(v -> {
                if (ws == socket) {
                    cancelHeartbeats();
                    if (!closing) {
                        closedUnexpectedly.increment();
                    }
                }
                ready.tryFail("closed before READY/resumed (" + (helloSeen ? "HELLO received, IDENTIFY/RESUME sent" : "no HELLO received")
                        + "): " + socket.closeStatusCode() + " " + socket.closeReason());
            });
            Connecting.onEventLoop(vertx, () -> socket.connect(new WebSocketConnectOptions().setHost(options.host())
                            .setPort(options.port()).setURI(options.uri()))
                    .onSuccess(connected -> connection = connected)
                    .onFailure(ready::tryFail));
            return ready.future();
        }

        /** Drops the socket without a close frame ({@link AbruptClose}), as a lost network would. */
        @Override
        public void drop() {
            WebSocket old = ws;
            WebSocket underneath = connection;
            ws = null;
            connection = null;
            cancelHeartbeats();
            AbruptClose.drop(old, underneath);
        }

        private void cancelHeartbeats() {
            long timer = heartbeatTimer;
            heartbeatTimer = -1;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }

        private void onFrame(WebSocket socket, String frame, boolean resume, Promise<Void> ready) {
            if (ws != socket) {
                // read from a socket we dropped, before its close ran: lost with the connection, as on a network drop
                return;
            }
            long now = System.nanoTime();
            long op = Frames.number(frame, "op", -1);
            if (op == 0) {
                String type = Frames.string(frame, "type");
                if ("resumed".equals(type)) {
                    // its seq is the last one replayed, not a new event's
                    sessionIdAfterReconnect = Frames.string(frame, "session_id");
                    resumed = true;
                    ready.tryComplete();
                    return;
                }
                long seq = Frames.number(frame, "seq", -1);
                if ("ready".equals(type)) {
                    // a READY starts a session's seqs afresh (a reconnect without resume, or a refused one)
                    lastSeq = seq;
                    String id = Frames.string(frame, "session_id");
                    if (sessionId == null) {
                        sessionId = id;
                    }
                    sessionIdAfterReconnect = id;
                    ready.tryComplete();
                    return;
                }
                if (seq >= 0) {
                    if (lastSeq >= 0 && seq != lastSeq + 1) {
                        outOfOrder.increment();
                    }
                    lastSeq = seq;
                }
                if ("message.create".equals(type)) {
                    long i = Frames.number(frame, "i", -1);
                    long t = Frames.number(frame, "t", -1);
                    latency.delivered(t, now);
                    received++;
                    if (indexes != null) {
                        indexes.add(i);
                    }
                    lastIndex = i;
                    delivered.increment();
                } else {
                    otherEvents.increment();
                }
            } else if (op == 5) {
                helloSeen = true;
                long interval = Frames.number(frame, "heartbeat_interval", 45_000);
                socket.writeTextMessage(resume ? Frames.resume(token, sessionId, Math.max(0, lastSeq)) : identify);
                cancelHeartbeats();
                heartbeatTimer = vertx.setPeriodic(Math.max(1000, interval), id -> {
                    if (ws == socket && !socket.isClosed()) {
                        socket.writeTextMessage(Frames.heartbeat(lastSeq));
                    }
                });
            } else if (op == 6) {
                ready.tryFail("server sent op 6: " + frame);
            }
            // op 7 (INVALID_SESSION) is followed by the server's close, whose code and reason say why: the close handler fails

        }

        public long received() {
            return received;
        }

        @Override
        public List<Long> indexes() {
            return indexes;
        }

        void close() {
            WebSocket s = ws;
            if (s != null && !s.isClosed()) {
                s.close((short) 1000);
            }
        }
    }
}
