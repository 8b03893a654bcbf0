package io.appmanager.sdk;

import static io.appmanager.sdk.FakeGateway.eventually;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.appmanager.sdk.AccordClient.State;
import io.appmanager.sdk.RecordingListener.Anomaly;
import io.appmanager.sdk.RecordingListener.Disconnect;
import io.appmanager.sdk.RecordingListener.Reconnecting;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's state machine against {@link FakeGateway}, with millisecond timings. */
class AccordClientGatewayTest {
    /** Millisecond backoff so reconnect scenarios finish quickly. */
    private static final ReconnectPolicy FAST = ReconnectPolicy.defaults()
            .withBaseDelay(Duration.ofMillis(5))
            .withJitterUnit(Duration.ofMillis(5))
            .withMaxAttempts(3)
            .withInvalidSessionWait(Duration.ofMillis(1), Duration.ofMillis(5));
    /** With the fixed random 0.5 the first beat is 30 s away: no heartbeat noise in other tests. */
    private static final long QUIET_HEARTBEAT_MS = 60_000;
    /** Several beats per test, yet far above a loopback round trip plus a GC/JIT pause on a loaded 2-core CI box. */
    private static final long FAST_HEARTBEAT_MS = 100;
    /** How long "nothing more happens" is watched; several backoff periods of {@link #FAST}. */
    private static final Duration QUIET_PERIOD = Duration.ofMillis(200);

    private final RecordingListener listener = new RecordingListener();
    private final AtomicInteger refreshes = new AtomicInteger();
    private FakeGateway gateway;
    private AccordClient client;

    @BeforeEach
    void startGateway() {
        gateway = FakeGateway.start();
    }

    @AfterEach
    void stopEverything() {
        if (client != null) {
            client.close();
        }
        gateway.close();
    }

    private AccordClient.Builder clientBuilder(URI uri) {
        return AccordClient.builder(uri)
                .tokenProvider(() -> "Bearer t1")
                .tokenRefresher(() -> "Bearer t" + (2 + refreshes.getAndIncrement()))
                .intents(List.of("messages"))
                .properties(Map.of("app", "demo"))
                .listener(listener)
                .reconnectPolicy(FAST)
                .randomSource(() -> 0.5);
    }

    private AccordClient.Builder clientBuilder() {
        return clientBuilder(gateway.uri());
    }

    private void connect(AccordClient.Builder builder) {
        client = builder.build();
        client.connect();
    }

    /** Takes connection {@code number} through HELLO, IDENTIFY and READY. */
    private FakeConnection identified(int number, String sessionId, long heartbeatMillis) {
        FakeConnection connection = gateway.connection(number);
        connection.hello(heartbeatMillis);
        connection.awaitMessage(OpCodes.IDENTIFY);
        int readiesBefore = listener.readies.size();
        connection.ready(sessionId);
        until(() -> listener.readies.size() > readiesBefore);
        return connection;
    }

    /** Waits for {@code condition}; on timeout the failure shows what the client went through. */
    private void until(Callable<Boolean> condition) {
        try {
            eventually().until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out; state=" + (client == null ? null : client.state())
                    + " connections=" + gateway.connectionCount() + " disconnects=" + listener.disconnects
                    + " reconnects=" + listener.reconnects + " failures=" + listener.failures, e);
        }
    }

    private static void staysTrue(Callable<Boolean> condition) {
        await().during(QUIET_PERIOD).atMost(QUIET_PERIOD.multipliedBy(5)).pollInterval(FakeGateway.POLL)
                .until(condition);
    }

    @Test
    void helloIdentifyReadyThenEventsInOrder() {
        connect(clientBuilder());
        FakeConnection connection = gateway.connection(1);
        assertEquals("/ws?v=1&encoding=json", connection.requestTarget());
        assertEquals(State.CONNECTING, client.state(), "no HELLO yet");

        connection.hello(QUIET_HEARTBEAT_MS);
        JsonNode identify = connection.awaitMessage(OpCodes.IDENTIFY).path("data");
        assertEquals("Bearer t1", identify.path("token").asText());
        assertEquals("messages", identify.path("intents").get(0).asText());
        assertEquals(1, identify.path("intents").size());
        JsonNode properties = identify.path("properties");
        assertEquals("appmanager-java-sdk", properties.path("client").asText());
        assertEquals(AccordClient.SDK_VERSION, properties.path("version").asText());
        assertEquals(System.getProperty("os.name"), properties.path("os").asText());
        assertEquals("demo", properties.path("app").asText());
        until(() -> client.state() == State.IDENTIFYING);

        // Split across two WebSocket frames: the client must reassemble before parsing.
        connection.sendFragmented(FakeConnection.readyFrame("s-1", "v1", "0.1.0", "0.1.0"));
        until(() -> listener.readies.size() == 1);
        ReadyInfo ready = listener.readies.get(0);
        assertEquals("s-1", ready.sessionId());
        assertEquals("u-1", ready.userId());
        assertEquals("v1", ready.apiVersion());
        assertEquals("1.2.3", ready.serverVersion());
        assertEquals(45_000, ready.heartbeatIntervalMs());
        assertEquals(120_000, ready.resumeWindowMs());
        assertEquals(List.of("messages", "presence"), ready.topics());
        assertEquals(State.READY, client.state());
        assertEquals(Optional.of("s-1"), client.sessionId());
        assertEquals(1, client.lastSeq());

        connection.event(2, "message.created");
        connection.event(3, "message.updated");
        until(() -> listener.events.size() == 2);
        assertEquals(List.of(2L, 3L), listener.eventSeqs());
        assertEquals("message.updated", listener.events.get(1).type());
        assertEquals(3, listener.events.get(1).data().path("n").asInt());
        assertEquals(3, client.lastSeq());
        assertEquals(List.of(), listener.anomalies);
        assertEquals(List.of(), listener.notices);
        assertEquals(List.of(OpCodes.IDENTIFY), connection.messageOps(), "nothing but IDENTIFY was sent");
        assertTrue(listener.callbackThreads.stream().allMatch(name -> name.startsWith("appmanager-sdk-")),
                "callbacks run on the client thread: " + listener.callbackThreads);
    }

    @Test
    void heartbeatsCarryLastSeqAndAcknowledgedBeatsKeepTheConnection() {
        connect(clientBuilder());
        FakeConnection connection = identified(1, "s-1", FAST_HEARTBEAT_MS);
        connection.event(2, "message.created");

        until(() -> connection.heartbeats().stream().anyMatch(h -> h.path("data").asLong() == 2));
        int beatsSoFar = connection.heartbeats().size();
        until(() -> connection.heartbeats().size() >= beatsSoFar + 3);

        assertEquals(1, gateway.connectionCount());
        assertEquals(List.of(), listener.disconnects);
        assertEquals(State.READY, client.state());
        long previous = 0;
        for (JsonNode beat : connection.heartbeats()) {
            long data = beat.path("data").isNull() ? 0 : beat.path("data").asLong();
            assertTrue(data >= previous && data <= 2, "heartbeat data tracks the last seq: " + connection.heartbeats());
            previous = data;
        }
    }

    @Test
    void missingAckClosesWith4000AndResumesWithLastSeq() {
        connect(clientBuilder());
        FakeConnection first = identified(1, "s-1", FAST_HEARTBEAT_MS);
        first.event(2, "message.created");
        first.event(3, "message.created");
        until(() -> client.lastSeq() == 3);

        first.autoAckHeartbeats(false);
        until(() -> first.clientCloseCode() != null);
        assertEquals(4000, first.clientCloseCode());
        assertEquals("heartbeat timeout", first.clientCloseReason());

        FakeConnection second = gateway.connection(2);
        second.hello(QUIET_HEARTBEAT_MS);
        JsonNode resume = second.awaitMessage(OpCodes.RESUME).path("data");
        assertEquals("s-1", resume.path("session_id").asText());
        assertEquals(3, resume.path("seq").asLong());
        assertEquals("Bearer t1", resume.path("token").asText());
        assertEquals(new Disconnect(4000, "heartbeat timeout"), listener.disconnects.get(0));
        until(() -> client.state() == State.RESUMING);

        second.resumed("s-1", 3, 0);
        until(() -> listener.resumes.size() == 1);
        assertEquals(new ResumedInfo("s-1", 3, 0), listener.resumes.get(0));
        assertEquals(State.READY, client.state());
        assertEquals(List.of(), listener.anomalies);
        assertEquals(0, refreshes.get());
    }

    @Test
    void invalidSessionNotResumableDropsSessionAndReconnectsOnceWithIdentify() {
        // A wait longer than the server's close takes, so the close arrives while the reconnect is pending.
        connect(clientBuilder().reconnectPolicy(
                FAST.withInvalidSessionWait(Duration.ofMillis(50), Duration.ofMillis(60))));
        FakeConnection first = identified(1, "s-1", QUIET_HEARTBEAT_MS);
        first.event(2, "message.created");
        until(() -> client.lastSeq() == 2);

        first.send("{\"op\":7,\"data\":false}");
        first.closeWith(4009, "session timed out");
        until(() -> listener.disconnects.size() == 1);
        assertEquals(Optional.empty(), client.sessionId());
        assertEquals(0, client.lastSeq());

        FakeConnection second = gateway.connection(2);
        second.hello(QUIET_HEARTBEAT_MS);
        second.awaitMessage(OpCodes.IDENTIFY);
        assertEquals(List.of(OpCodes.IDENTIFY), second.messageOps());
        second.ready("s-2");
        until(() -> listener.readies.size() == 2);
        assertEquals(Optional.of("s-2"), client.sessionId());

        staysTrue(() -> gateway.connectionCount() == 2);
        assertEquals(List.of(), listener.reconnects, "the close after INVALID_SESSION must not schedule a backoff");
        assertEquals(4009, listener.disconnects.get(0).code());
    }

    @Test
    void invalidSessionWithNonBooleanDataCountsAsNotResumable() {
        connect(clientBuilder());
        FakeConnection first = identified(1, "s-1", QUIET_HEARTBEAT_MS);
        first.send("{\"op\":7,\"data\":\"true\"}");

        FakeConnection second = gateway.connection(2);
        second.hello(QUIET_HEARTBEAT_MS);
        second.awaitMessage(OpCodes.IDENTIFY);
        assertEquals(List.of(OpCodes.IDENTIFY), second.messageOps());
    }

    @Test
    void invalidSessionResumableKeepsSessionAndResumes() {
        connect(clientBuilder());
        FakeConnection first = identified(1, "s-1", QUIET_HEARTBEAT_MS);
        first.event(2, "message.created");
        until(() -> client.lastSeq() == 2);
        first.send("{\"op\":7,\"data\":true}");
        first.closeWith(4000, "invalid session");

        FakeConnection second = gateway.connection(2);
        second.hello(QUIET_HEARTBEAT_MS);
        JsonNode resume = second.awaitMessage(OpCodes.RESUME).path("data");
        assertEquals("s-1", resume.path("session_id").asText());
        assertEquals(2, resume.path("seq").asLong());
    }

    @Test
    void reconnectOpClosesWith4000ResumesReplaysAndFlushesWhatWasQueuedMeanwhile() {
        connect(clientBuilder());
        FakeConnection first = identified(1, "s-1", QUIET_HEARTBEAT_MS);
        first.event(2, "message.created");
        until(() -> client.lastSeq() == 2);

        first.send("{\"op\":6}");
        until(() -> first.clientCloseCode() != null);
        assertEquals(4000, first.clientCloseCode());
        assertTrue(client.send(77, "while-away"), "queued while not READY");

        FakeConnection second = gateway.connection(2);
        second.hello(QUIET_HEARTBEAT_MS);
        JsonNode resume = second.awaitMessage(OpCodes.RESUME).path("data");
        assertEquals("s-1", resume.path("session_id").asText());
        assertEquals(2, resume.path("seq").asLong());

        second.event(3, "message.created");
        second.event(4, "message.created");
        second.resumed("s-1", 4, 2);
        until(() -> listener.resumes.size() == 1);
        assertEquals(new ResumedInfo("s-1", 4, 2), listener.resumes.get(0));
        assertEquals(List.of(2L, 3L, 4L), listener.eventSeqs());
        assertEquals(State.READY, client.state());
        until(() -> second.messageOps().size() == 2);
        assertEquals(List.of(OpCodes.RESUME, 77), second.messageOps());

        second.event(5, "message.created");
        until(() -> listener.events.size() == 4);
        assertEquals(List.of(), listener.anomalies, "resumed repeats the last seq; live events continue at +1");
        assertEquals(5, client.lastSeq());
        assertEquals(4000, listener.disconnects.get(0).code());
    }

    @Test
    void fatalCloseRefreshesTokenOnceThenFailsOnSecondFatalClose() {
        connect(clientBuilder());
        FakeConnection first = gateway.connection(1);
        first.hello(QUIET_HEARTBEAT_MS);
        assertEquals("Bearer t1", first.awaitMessage(OpCodes.IDENTIFY).path("data").path("token").asText());
        first.closeWith(4004, "authentication failed");

        FakeConnection second = gateway.connection(2);
        second.hello(QUIET_HEARTBEAT_MS);
        assertEquals("Bearer t2", second.awaitMessage(OpCodes.IDENTIFY).path("data").path("token").asText());
        assertEquals(1, refreshes.get());
        second.closeWith(4004, "authentication failed");

        until(() -> listener.failures.size() == 1);
        assertEquals(State.FAILED, client.state());
        assertEquals(1, refreshes.get(), "refresher runs once per disconnect cycle");
        assertEquals(List.of(4004, 4004), listener.disconnects.stream().map(Disconnect::code).toList());
        staysTrue(() -> gateway.connectionCount() == 2);
        assertFalse(client.send(1, null), "a failed client accepts nothing");
        assertThrows(IllegalStateException.class, client::connect);
    }

    @Test
    void tokenRefreshBudgetRenewsAfterReady() {
        connect(clientBuilder());
        FakeConnection first = gateway.connection(1);
        first.hello(QUIET_HEARTBEAT_MS);
        first.awaitMessage(OpCodes.IDENTIFY);
        first.closeWith(4004, "authentication failed");

        FakeConnection second = identified(2, "s-2", QUIET_HEARTBEAT_MS);
        second.closeWith(4004, "token revoked");

        FakeConnection third = gateway.connection(3);
        third.hello(QUIET_HEARTBEAT_MS);
        JsonNode identify = third.awaitMessage(OpCodes.IDENTIFY).path("data");
        assertEquals("Bearer t3", identify.path("token").asText());
        assertEquals(2, refreshes.get());
        assertEquals(List.of(), listener.failures);
    }

    @Test
    void sessionReplacedFailsImmediatelyWithoutRefresh() {
        connect(clientBuilder());
        FakeConnection first = identified(1, "s-1", QUIET_HEARTBEAT_MS);
        first.closeWith(4015, "session replaced");

        until(() -> listener.failures.size() == 1);
        assertTrue(listener.failures.get(0).contains("replaced"), listener.failures.get(0));
        assertEquals(State.FAILED, client.state());
        assertEquals(0, refreshes.get());
        assertEquals(List.of(), listener.reconnects);
        staysTrue(() -> gateway.connectionCount() == 1);
    }

    @Test
    void sendsWhileNotReadyAreQueuedUpToCapacityAndFlushedInOrderAfterReady() {
        AtomicReference<AccordClient> self = new AtomicReference<>();
        AtomicReference<Boolean> sentFromCallback = new AtomicReference<>();
        RecordingListener sendingListener = new RecordingListener() {
            @Override
            public void onReady(ReadyInfo ready) {
                super.onReady(ready);
                // Runs on the client thread: must not deadlock waiting for itself.
                sentFromCallback.set(self.get().send(60, "from-callback"));
            }
        };
        client = clientBuilder().listener(sendingListener).outboundQueueCapacity(3).build();
        self.set(client);

        assertTrue(client.send(99, Map.of("k", 1)));
        assertTrue(client.subscribe(List.of("a"), List.of("b")));
        assertTrue(client.send(98, "x"));
        assertFalse(client.send(97, "over capacity"), "queue is full");

        client.connect();
        FakeConnection connection = gateway.connection(1);
        connection.hello(QUIET_HEARTBEAT_MS);
        connection.awaitMessage(OpCodes.IDENTIFY);
        connection.ready("s-1");

        until(() -> connection.messages().size() == 5);
        assertEquals(List.of(OpCodes.IDENTIFY, 99, OpCodes.SUBSCRIBE, 98, 60), connection.messageOps());
        List<JsonNode> messages = connection.messages();
        assertEquals(1, messages.get(1).path("data").path("k").asInt());
        assertEquals("a", messages.get(2).path("data").path("add").get(0).asText());
        assertEquals("b", messages.get(2).path("data").path("remove").get(0).asText());
        assertEquals("x", messages.get(3).path("data").asText());
        assertEquals(Boolean.TRUE, sentFromCallback.get());

        assertTrue(client.send(50, "live"));
        until(() -> connection.messages().size() == 6);
        assertEquals(50, connection.messageOps().get(5));
    }

    @Test
    void versionMismatchAndRequiredUpdateAreReported() {
        connect(clientBuilder());
        FakeConnection connection = gateway.connection(1);
        connection.hello(QUIET_HEARTBEAT_MS);
        connection.awaitMessage(OpCodes.IDENTIFY);
        connection.send(FakeConnection.readyFrame("s-1", "v2", "0.2.0", "0.3.0"));

        until(() -> listener.readies.size() == 1);
        assertEquals(List.of(VersionNotice.Kind.API_VERSION, VersionNotice.Kind.UPDATE_REQUIRED),
                listener.notices.stream().map(VersionNotice::kind).toList());
        assertEquals("0.2.0", listener.notices.get(1).serverVersion());
        assertEquals(State.READY, client.state(), "notices inform; they do not disconnect");
    }

    @Test
    void newerLatestVersionIsOfferedAsUpdate() {
        connect(clientBuilder());
        FakeConnection connection = gateway.connection(1);
        connection.hello(QUIET_HEARTBEAT_MS);
        connection.awaitMessage(OpCodes.IDENTIFY);
        connection.send(FakeConnection.readyFrame("s-1", "v1", "0.1.0", "0.1.1"));

        until(() -> listener.readies.size() == 1);
        assertEquals(List.of(new VersionNotice(VersionNotice.Kind.UPDATE_AVAILABLE, "0.1.0", "0.1.1",
                "SDK 0.1.1 is available, this is 0.1.0")), listener.notices);
    }

    @Test
    void secondSocketCloseWhileResumePendingMakesNextAttemptIdentify() {
        connect(clientBuilder());
        FakeConnection first = identified(1, "s-1", QUIET_HEARTBEAT_MS);
        first.event(2, "message.created");
        until(() -> client.lastSeq() == 2);
        first.closeWith(1001, "server restarting");

        FakeConnection second = gateway.connection(2);
        second.hello(QUIET_HEARTBEAT_MS);
        assertEquals(2, second.awaitMessage(OpCodes.RESUME).path("data").path("seq").asLong());
        second.dropTcp();

        // One unanswered RESUME may be a drop racing it: the session is tried once more.
        FakeConnection third = gateway.connection(3);
        third.hello(QUIET_HEARTBEAT_MS);
        assertEquals(2, third.awaitMessage(OpCodes.RESUME).path("data").path("seq").asLong());
        third.dropTcp();

        FakeConnection fourth = gateway.connection(4);
        fourth.hello(QUIET_HEARTBEAT_MS);
        fourth.awaitMessage(OpCodes.IDENTIFY);
        assertEquals(List.of(OpCodes.IDENTIFY), fourth.messageOps());
        assertEquals(List.of(1001, 1006, 1006), listener.disconnects.stream().map(Disconnect::code).toList());
        assertEquals(List.of(new Reconnecting(1, 3), new Reconnecting(2, 3), new Reconnecting(3, 3)), listener.reconnects);
    }

    @Test
    void answeredResumeResetsTheUnansweredCount() {
        connect(clientBuilder());
        FakeConnection first = identified(1, "s-1", QUIET_HEARTBEAT_MS);
        first.closeWith(1001, "server restarting");
        FakeConnection second = gateway.connection(2);
        second.hello(QUIET_HEARTBEAT_MS);
        second.awaitMessage(OpCodes.RESUME);
        second.dropTcp();
        FakeConnection third = gateway.connection(3);
        third.hello(QUIET_HEARTBEAT_MS);
        third.awaitMessage(OpCodes.RESUME);
        third.resumed("s-1", 1, 0);
        until(() -> listener.resumes.size() == 1);
        third.closeWith(1001, "again");
        FakeConnection fourth = gateway.connection(4);
        fourth.hello(QUIET_HEARTBEAT_MS);
        fourth.awaitMessage(OpCodes.RESUME);
        fourth.dropTcp();
        FakeConnection fifth = gateway.connection(5);
        fifth.hello(QUIET_HEARTBEAT_MS);
        assertEquals("s-1", fifth.awaitMessage(OpCodes.RESUME).path("data").path("session_id").asText(),
                "one unanswered RESUME after a successful one still resumes");
    }

    @Test
    void outOfOrderSeqIsReportedButStillDelivered() {
        connect(clientBuilder());
        FakeConnection connection = identified(1, "s-1", QUIET_HEARTBEAT_MS);
        connection.event(2, "a.b");
        connection.event(4, "a.b");
        connection.event(4, "a.b");

        until(() -> listener.events.size() == 3);
        assertEquals(List.of(2L, 4L, 4L), listener.eventSeqs(), "no silent dedupe");
        assertEquals(List.of(new Anomaly(3, 4), new Anomaly(5, 4)), listener.anomalies);
        assertEquals(4, client.lastSeq());
    }

    @Test
    void refusedConnectionsCountAsAttemptsEscalateOnceThenFail() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        connect(clientBuilder(URI.create("ws://127.0.0.1:" + closedPort + "/ws"))
                .reconnectPolicy(FAST.withMaxAttempts(2)));

        until(() -> listener.failures.size() == 1);
        assertEquals(List.of(new Reconnecting(1, 2), new Reconnecting(2, 2), new Reconnecting(1, 2),
                new Reconnecting(2, 2)), listener.reconnects);
        assertEquals(1, refreshes.get(), "exhaustion escalates to one token refresh");
        assertEquals(5, listener.disconnects.size(), "initial connect + 4 reconnects");
        assertTrue(listener.disconnects.stream().allMatch(d -> d.code() == 1006), listener.disconnects.toString());
        assertEquals(State.FAILED, client.state());
    }

    @Test
    void closeSignsOffWith1000AndNeverReconnects() {
        connect(clientBuilder());
        FakeConnection connection = identified(1, "s-1", QUIET_HEARTBEAT_MS);

        client.close();
        assertEquals(State.CLOSED, client.state());
        until(() -> connection.clientCloseCode() != null);
        assertEquals(1000, connection.clientCloseCode());
        staysTrue(() -> gateway.connectionCount() == 1);
        assertEquals(List.of(), listener.failures);
        assertEquals(List.of(), listener.disconnects);
        assertFalse(client.send(1, null));
    }

    @Test
    void abortedConnectionReconnectsAndResumes() {
        connect(clientBuilder());
        FakeConnection first = identified(1, "s-1", QUIET_HEARTBEAT_MS);
        first.event(2, "message.created");
        until(() -> client.lastSeq() == 2);

        client.abortConnection();
        assertEquals(new Disconnect(1006, "connection aborted"), listener.disconnects.get(0));

        FakeConnection second = gateway.connection(2);
        second.hello(QUIET_HEARTBEAT_MS);
        JsonNode resume = second.awaitMessage(OpCodes.RESUME).path("data");
        assertEquals(2, resume.path("seq").asLong());
        assertEquals(null, first.clientCloseCode(), "an abort sends no close frame");
    }

    @Test
    void socketThatNeverSaysHelloIsDroppedWith4000AndTheClientReconnects() {
        connect(clientBuilder().reconnectPolicy(FAST.withHelloTimeout(Duration.ofMillis(100))));
        FakeConnection silent = gateway.connection(1);
        until(() -> Integer.valueOf(4000).equals(silent.clientCloseCode()));
        assertTrue(silent.clientCloseReason().contains("HELLO"), silent.clientCloseReason());
        FakeConnection second = gateway.connection(2);
        second.hello(QUIET_HEARTBEAT_MS);
        second.awaitMessage(OpCodes.IDENTIFY);
    }

    @Test
    void helloInTimeKeepsTheSocket() {
        connect(clientBuilder().reconnectPolicy(FAST.withHelloTimeout(Duration.ofMillis(300))));
        identified(1, "s-1", QUIET_HEARTBEAT_MS);
        staysTrue(() -> client.state() == AccordClient.State.READY);
        assertEquals(List.of(), listener.disconnects);
    }
}
