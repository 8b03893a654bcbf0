package io.appmanager.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The connection state machine. Every method except the volatile getters must run on the
 * client's single executor thread; that confinement is what makes the fields below safe
 * without locks.
 */
final class GatewayStateMachine implements SocketEvents {
    private static final System.Logger LOG = System.getLogger(GatewayStateMachine.class.getName());
    /** Used when HELLO omits the interval: 45 s is the Accord default. */
    private static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 45_000;
    /**
     * Opening-handshake timeout. 10 s covers slow mobile networks and TLS; a handshake taking
     * longer is better retried (it counts as an attempt) than waited for.
     */
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final ClientConfig config;
    private final ScheduledExecutorService executor;
    private final Runnable releaseResources;
    private final ClientListener listener;
    private final OutboundQueue outbound;
    private final HeartbeatTracker heartbeat = new HeartbeatTracker();

    // Written only on the executor thread; volatile so the public getters can read them anywhere.
    private volatile AccordClient.State state = AccordClient.State.DISCONNECTED;
    private volatile String sessionId;
    /** The app session's current reconnect token, once a READY carried one (app SDKs only). */
    private volatile String appReconnectToken;
    private volatile long lastSeq;

    private boolean started;
    private boolean resumePending;
    /**
     * RESUMEs in a row whose socket closed before any answer. AccordKit drops the session at the
     * first; but a network drop can race a RESUME (the churn test hits it), and our gateway always
     * answers a refusal with INVALID_SESSION, so the session is dropped only at the second.
     */
    private int unansweredResumes;
    static final int UNANSWERED_RESUMES_BEFORE_IDENTIFY = 2;
    /** Incremented whenever the current socket is abandoned, so its late callbacks are ignored. */
    private int generation;
    private GatewaySocket socket;
    private ScheduledFuture<?> reconnectTask;
    private ScheduledFuture<?> heartbeatTask;
    private DisconnectCycle cycle = DisconnectCycle.FRESH;
    private String refreshedToken;

    /**
     * @param config           settings
     * @param executor         the client's single-threaded executor
     * @param releaseResources called once when the client reaches CLOSED or FAILED
     */
    GatewayStateMachine(ClientConfig config, ScheduledExecutorService executor, Runnable releaseResources) {
        this.config = config;
        this.executor = executor;
        this.releaseResources = releaseResources;
        this.listener = new SafeListener(config.listener());
        this.outbound = new OutboundQueue(config.outboundQueueCapacity());
    }

    AccordClient.State state() {
        return state;
    }

    String sessionId() {
        return sessionId;
    }

    long lastSeq() {
        return lastSeq;
    }

    // ---- commands from AccordClient (on the executor thread) ----

    void start() {
        if (started || isTerminal()) {
            return;
        }
        started = true;
        openSocket();
    }

    /** Sends now when READY, otherwise queues; false when queued is impossible or terminal. */
    boolean submit(String frame) {
        if (isTerminal()) {
            return false;
        }
        if (state == AccordClient.State.READY && socket != null) {
            socket.send(frame);
            return true;
        }
        return outbound.offer(frame);
    }

    void close() {
        if (isTerminal()) {
            return;
        }
        stopEverything(CloseCodes.NORMAL, "client closing");
        state = AccordClient.State.CLOSED;
        releaseResources.run();
    }

    void abort() {
        if (isTerminal() || state == AccordClient.State.DISCONNECTED) {
            return;
        }
        GatewaySocket aborted = socket;
        socket = null;
        if (aborted != null) {
            aborted.abort();
        }
        handleDisconnect(CloseCodes.ABNORMAL, "connection aborted");
    }

    // ---- socket lifecycle ----

    private void openSocket() {
        reconnectTask = null;
        if (isTerminal()) {
            return;
        }
        retireSocket(CloseCodes.RECONNECT, "reconnecting");
        int socketGeneration = ++generation;
        state = AccordClient.State.CONNECTING;
        SocketListener socketListener = new SocketListener(socketGeneration, this, this::post);
        CompletableFuture<WebSocket> opening;
        try {
            opening = config.httpClient().newWebSocketBuilder()
                    .connectTimeout(HANDSHAKE_TIMEOUT)
                    .buildAsync(config.gatewayUrl(), socketListener);
        } catch (RuntimeException e) {
            opening = CompletableFuture.failedFuture(e);
        }
        opening.whenComplete((webSocket, error) -> post(() -> openCompleted(socketGeneration, webSocket, error)));
    }

    private void openCompleted(int socketGeneration, WebSocket webSocket, Throwable error) {
        if (socketGeneration != generation || isTerminal()) {
            if (webSocket != null) {
                // Opened after we moved on (close() or abort during the handshake): hang up politely.
                new GatewaySocket(webSocket, ignored -> { }).close(CloseCodes.NORMAL, "superseded");
            }
            return;
        }
        if (error != null) {
            handleDisconnect(CloseCodes.ABNORMAL, "connect failed: " + describe(error));
            return;
        }
        attach(socketGeneration, webSocket);
    }

    @Override
    public void socketOpened(int socketGeneration, WebSocket webSocket) {
        // A stale socket is closed by openCompleted, which always follows.
        if (socketGeneration == generation && !isTerminal()) {
            attach(socketGeneration, webSocket);
        }
    }

    private void attach(int socketGeneration, WebSocket webSocket) {
        if (socket == null) {
            socket = new GatewaySocket(webSocket,
                    error -> post(() -> socketFailed(socketGeneration, error)));
            // Heartbeats start at HELLO, so without this a socket that never says HELLO would hang forever.
            schedule(() -> helloOverdue(socketGeneration), config.reconnectPolicy().helloTimeout());
        }
    }

    private void helloOverdue(int socketGeneration) {
        if (socketGeneration == generation && state == AccordClient.State.CONNECTING && !isTerminal()) {
            dropSocketAndReconnect(CloseCodes.RECONNECT, "no HELLO within " + config.reconnectPolicy().helloTimeout().toMillis() + " ms");
        }
    }

    @Override
    public void socketClosed(int socketGeneration, int code, String reason) {
        if (socketGeneration == generation && !isTerminal()) {
            handleDisconnect(code, reason == null ? "" : reason);
        }
    }

    @Override
    public void socketFailed(int socketGeneration, Throwable error) {
        if (socketGeneration == generation && !isTerminal()) {
            handleDisconnect(CloseCodes.ABNORMAL, describe(error));
        }
    }

    /** Closes the current socket ourselves (code 4000 keeps the session resumable) and reconnects. */
    private void dropSocketAndReconnect(int code, String reason) {
        retireSocket(code, reason);
        handleDisconnect(code, reason);
    }

    private void handleDisconnect(int code, String reason) {
        if (isTerminal()) {
            return;
        }
        generation++;
        cancelHeartbeat();
        socket = null;
        state = AccordClient.State.DISCONNECTED;
        listener.onDisconnected(code, reason);
        if (isTerminal()) {
            return; // the listener called close()
        }
        if (resumePending && ++unansweredResumes >= UNANSWERED_RESUMES_BEFORE_IDENTIFY) {
            // The server neither confirmed nor rejected the RESUME, twice: assume the session is gone.
            dropSession();
        }
        if (CloseCodes.classify(code) == CloseCodes.CloseAction.RECONNECT && reconnectTask != null) {
            return; // INVALID_SESSION already scheduled the reconnect; the close merely follows it
        }
        cancelReconnect();
        ReconnectPlan plan = ReconnectPlanner.plan(cycle, code, config.reconnectPolicy().maxAttempts());
        cycle = plan.nextCycle();
        switch (plan.action()) {
            case RETRY:
                scheduleReconnect(plan.attempt());
                break;
            case REFRESH_TOKEN:
                if (config.tokenRefresher() == null) {
                    fail(plan.reason() + " impossible: no token refresher configured");
                } else if (!refreshToken()) {
                    fail("token refresher returned no token after close " + code);
                } else {
                    dropSession();
                    scheduleReconnect(plan.attempt());
                }
                break;
            case ESCALATE:
                if (config.tokenRefresher() != null && !refreshToken()) {
                    fail("token refresher returned no token after " + plan.reason());
                } else {
                    dropSession();
                    scheduleReconnect(plan.attempt());
                }
                break;
            case FAIL:
            default:
                fail(plan.reason());
                break;
        }
    }

    private void scheduleReconnect(int attempt) {
        ReconnectPolicy policy = config.reconnectPolicy();
        listener.onReconnecting(attempt, policy.maxAttempts());
        if (isTerminal()) {
            return;
        }
        Duration delay = Backoff.delayFor(attempt, random(), policy.baseDelay(), policy.jitterUnit());
        reconnectTask = schedule(this::openSocket, delay);
    }

    private void fail(String reason) {
        if (isTerminal()) {
            return;
        }
        stopEverything(CloseCodes.NORMAL, "client giving up");
        state = AccordClient.State.FAILED;
        listener.onFailed(reason);
        releaseResources.run();
    }

    private void stopEverything(int closeCode, String closeReason) {
        cancelReconnect();
        cancelHeartbeat();
        retireSocket(closeCode, closeReason);
        generation++;
    }

    private void retireSocket(int code, String reason) {
        if (socket != null) {
            socket.close(code, reason);
            socket = null;
        }
    }

    // ---- inbound frames ----

    @Override
    public void textReceived(int socketGeneration, String text) {
        if (socketGeneration != generation || isTerminal()) {
            return;
        }
        InboundFrame frame;
        try {
            frame = Frames.parse(text);
        } catch (Exception malformed) {
            // One bad frame is not worth a reconnect; the heartbeat catches a truly broken server.
            LOG.log(System.Logger.Level.WARNING, "ignoring malformed gateway frame", malformed);
            return;
        }
        switch (frame.op()) {
            case OpCodes.HELLO:
                onHello(frame.data());
                break;
            case OpCodes.EVENT:
                onDispatch(frame);
                break;
            case OpCodes.HEARTBEAT_ACK:
                heartbeat.ackReceived();
                break;
            case OpCodes.HEARTBEAT:
                // The server asks for an immediate beat; it does not change the ACK bookkeeping.
                sendNow(Frames.heartbeat(lastSeq));
                break;
            case OpCodes.RECONNECT:
                dropSocketAndReconnect(CloseCodes.RECONNECT, "server requested reconnect");
                break;
            case OpCodes.INVALID_SESSION:
                onInvalidSession(frame.data());
                break;
            default:
                LOG.log(System.Logger.Level.DEBUG, "ignoring gateway op {0}", frame.op());
                break;
        }
    }

    private void onHello(JsonNode data) {
        if (state != AccordClient.State.CONNECTING) {
            return; // a second HELLO on one socket is a server bug; answering twice would make it worse
        }
        long interval = data.path("heartbeat_interval").asLong(DEFAULT_HEARTBEAT_INTERVAL_MS);
        startHeartbeat(interval > 0 ? interval : DEFAULT_HEARTBEAT_INTERVAL_MS);
        String token = currentToken();
        if (sessionId != null) {
            sendNow(Frames.resume(token, sessionId, lastSeq));
            resumePending = true;
            state = AccordClient.State.RESUMING;
        } else {
            sendNow(Frames.identify(token, config.intents(), identifyProperties()));
            state = AccordClient.State.IDENTIFYING;
        }
    }

    private void onDispatch(InboundFrame frame) {
        String type = frame.type();
        long seq = frame.seq().orElse(0);
        if (frame.seq().isPresent()) {
            SequenceCheck.unexpected(lastSeq, seq, type)
                    .ifPresent(expected -> listener.onSequenceAnomaly(expected, seq));
            lastSeq = seq;
        }
        JsonNode data = frame.data();
        if (SequenceCheck.READY.equals(type)) {
            onReadyFrame(data);
        } else if (SequenceCheck.RESUMED.equals(type)) {
            onResumedFrame(seq, data);
        } else {
            listener.onEvent(new GatewayEvent(seq, type, data.isMissingNode() ? NullNode.getInstance() : data));
        }
    }

    /**
     * App SDKs: after a READY that carried an app session, every later IDENTIFY says it is the same
     * instance coming back ({@code reconnect: true}) and proves it with the reconnect token READY gave,
     * so AppManager re-attaches it instead of treating it as a new instance (docs/protocol.md).
     */
    private Map<String, Object> identifyProperties() {
        Map<String, Object> properties = Frames.identifyProperties(config.properties());
        if (appReconnectToken != null) {
            properties.put("reconnect", true);
            properties.put("reconnect_token", appReconnectToken);
        }
        return properties;
    }

    private void onReadyFrame(JsonNode data) {
        sessionId = textOrNull(data, "session_id");
        JsonNode app = data.path("app_session");
        if (app.path("reconnect_token").isTextual()) {
            appReconnectToken = app.path("reconnect_token").textValue();
        }
        resumePending = false;
        unansweredResumes = 0;
        cycle = DisconnectCycle.FRESH;
        state = AccordClient.State.READY;
        outbound.drainTo(this::sendNow);
        ReadyInfo ready = toReadyInfo(data);
        VersionCheck.evaluate(ready.apiVersion(), ready.sdkMinVersion(), ready.sdkLatestVersion(),
                AccordClient.API_VERSION, AccordClient.SDK_VERSION).forEach(listener::onVersionMismatch);
        if (!isTerminal()) { // a notice handler may have closed the client
            listener.onReady(ready);
        }
    }

    private void onResumedFrame(long seq, JsonNode data) {
        String resumedSession = textOrNull(data, "session_id");
        if (resumedSession != null) {
            sessionId = resumedSession;
        }
        resumePending = false;
        unansweredResumes = 0;
        cycle = DisconnectCycle.FRESH;
        state = AccordClient.State.READY;
        outbound.drainTo(this::sendNow);
        listener.onResumed(new ResumedInfo(sessionId, seq, data.path("replayed").asInt(0)));
    }

    private void onInvalidSession(JsonNode data) {
        // Anything but a literal true is "not resumable": guessing wrong the other way loops on RESUME.
        boolean resumable = data.isBoolean() && data.booleanValue();
        resumePending = false;
        unansweredResumes = 0;
        cancelHeartbeat();
        if (!resumable) {
            dropSession();
        }
        state = AccordClient.State.DISCONNECTED;
        cancelReconnect();
        ReconnectPolicy policy = config.reconnectPolicy();
        Duration wait = Backoff.invalidSessionDelay(random(), policy.invalidSessionWaitMin(),
                policy.invalidSessionWaitMax());
        // The server closes the socket next; handleDisconnect sees this task and does not add another.
        reconnectTask = schedule(this::openSocket, wait);
    }

    // ---- heartbeat ----

    private void startHeartbeat(long intervalMillis) {
        cancelHeartbeat();
        heartbeat.reset();
        int socketGeneration = generation;
        heartbeatTask = schedule(() -> beat(socketGeneration, intervalMillis),
                HeartbeatTracker.firstBeatDelay(intervalMillis, random()));
    }

    private void beat(int socketGeneration, long intervalMillis) {
        if (socketGeneration != generation || isTerminal()) {
            return;
        }
        if (heartbeat.beatDue() == HeartbeatTracker.BeatAction.TIMEOUT) {
            dropSocketAndReconnect(CloseCodes.RECONNECT, "heartbeat timeout");
            return;
        }
        sendNow(Frames.heartbeat(lastSeq));
        heartbeatTask = schedule(() -> beat(socketGeneration, intervalMillis), Duration.ofMillis(intervalMillis));
    }

    // ---- helpers ----

    private void sendNow(String frame) {
        if (socket != null) {
            socket.send(frame);
        }
    }

    private String currentToken() {
        if (refreshedToken != null) {
            return refreshedToken;
        }
        try {
            return config.tokenProvider().get();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "token provider threw; identifying without a token", e);
            return null;
        }
    }

    /** Calls the refresher; true when it produced a token, which is then used from now on. */
    private boolean refreshToken() {
        String token;
        try {
            token = config.tokenRefresher().get();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "token refresher threw", e);
            token = null;
        }
        if (token == null) {
            return false;
        }
        refreshedToken = token;
        return true;
    }

    private void dropSession() {
        sessionId = null;
        lastSeq = 0;
        resumePending = false;
    }

    private void cancelHeartbeat() {
        if (heartbeatTask != null) {
            heartbeatTask.cancel(false);
            heartbeatTask = null;
        }
    }

    private void cancelReconnect() {
        if (reconnectTask != null) {
            reconnectTask.cancel(false);
            reconnectTask = null;
        }
    }

    private boolean isTerminal() {
        return state == AccordClient.State.CLOSED || state == AccordClient.State.FAILED;
    }

    private double random() {
        return config.random().getAsDouble();
    }

    private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return executor.schedule(guarded(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Hands a task to the executor; silently dropped once the client has terminated. */
    private void post(Runnable task) {
        try {
            executor.execute(guarded(task));
        } catch (RejectedExecutionException clientTerminated) {
            // CLOSED or FAILED: nothing left to update.
        }
    }

    /** Executors swallow exceptions from scheduled tasks; log them instead of losing them. */
    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "AppManager SDK internal error", e);
            }
        };
    }

    private static ReadyInfo toReadyInfo(JsonNode data) {
        List<String> topics = new ArrayList<>();
        data.path("topics").forEach(topic -> topics.add(topic.asText()));
        JsonNode sdk = data.path("sdk");
        return new ReadyInfo(
                textOrNull(data, "session_id"),
                textOrNull(data, "user_id"),
                textOrNull(data, "api_version"),
                textOrNull(data, "server_version"),
                data.path("heartbeat_interval").asLong(0),
                data.path("resume_window_ms").asLong(0),
                List.copyOf(topics),
                textOrNull(sdk, "min_version"),
                textOrNull(sdk, "latest_version"),
                data);
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    private static String describe(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
