package io.appmanager.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.appmanager.fanout.EncodedEvent;
import io.appmanager.fanout.FeedCodec;
import io.appmanager.fanout.FeedEntry;
import io.appmanager.fanout.LogPosition;
import io.appmanager.fanout.SharedLog;
import io.appmanager.fanout.redis.RedisLog;
import io.appmanager.support.Apps;
import io.appmanager.support.Gw;
import io.appmanager.support.SinkExtension;
import io.appmanager.support.OnRedisEngine;
import io.appmanager.support.RawSocket;
import io.appmanager.support.RedisEngineResource;
import io.appmanager.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Redis engine in one process, with the test acting as a second node on the same Redis: it appends
 * to the shared log and writes checkpoints exactly as another AppManager node would. That proves the
 * node's half of every cross-node path: events from other nodes reach its sessions, a session another
 * node held is rebuilt here on RESUME with every event once, another node's takeover closes a socket
 * here, and a Redis outage is a 503 and not-ready until Redis is back.
 */
@QuarkusTest
@TestProfile(OnRedisEngine.class)
class RedisEngineTest {

    @RegisterExtension
    static final SinkExtension apps = new SinkExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FeedCodec CODEC = new FeedCodec(JSON);
    private static Vertx vertx;
    /** The "other node": its own client on the same Redis, same key prefix. */
    private static RedisLog otherNode;
    private static final List<FeedEntry> seenByOtherNode = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void otherNode() {
        vertx = Vertx.vertx();
        RedisLog.Settings s = RedisLog.Settings.defaults();
        otherNode = new RedisLog(io.vertx.redis.client.Redis.createClient(vertx,
                RedisLog.clientOptions(RedisEngineResource.redis().url(), s)), s);
        otherNode.follow(new SharedLog.Follower() {
            @Override
            public void records(List<SharedLog.LogRecord> batch) {
                batch.forEach(r -> seenByOtherNode.add(CODEC.decode(r.body())));
            }

            @Override
            public void epochChanged(LogPosition from) {
            }

            @Override
            public void availability(boolean available) {
            }
        });
    }

    @AfterAll
    static void close() {
        otherNode.close();
        vertx.close();
    }

    private static String topic() {
        return "chat." + UUID.randomUUID().toString().substring(0, 8);
    }

    private static EncodedEvent event(long id, String topic, int n) {
        return EncodedEvent.encode(JSON, id, "message.create", List.of(topic), Map.of("n", n));
    }

    private static LogPosition append(FeedEntry e) throws Exception {
        return otherNode.append(CODEC.encode(e)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** The other node held a session: its checkpoint says seq {@code seq} at {@code at}. */
    private static void heldElsewhere(String sessionId, String principal, List<String> topics, long seq, LogPosition at)
            throws Exception {
        SessionCheckpoint cp = new SessionCheckpoint(sessionId, principal, Set.of("messages"), topics, seq, at, null);
        otherNode.saveCheckpoints(List.of(new SharedLog.CheckpointWrite(sessionId, seq, SessionCheckpoint.encodeAll(JSON, List.of(cp)))),
                        Duration.ofMinutes(1))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** A RESUME refused with INVALID_SESSION(false) and 4007: @return the close reason */
    private static String refusedReason(RawSocket socket) {
        JsonNode invalid = socket.next();
        assertEquals(7, invalid.path("op").asInt(), "INVALID_SESSION: " + invalid);
        assertEquals(false, invalid.path("data").asBoolean(true), "not resumable");
        RawSocket.Closed closed = socket.awaitClose();
        assertEquals(4007, closed.code());
        return closed.reason();
    }

    @Test
    void anEventAppendedByAnotherNodeReachesTheSessionsHere() throws Exception {
        String topic = topic();
        Gw.Session s = Gw.ready(Tokens.user("red-a", topic), "messages");
        append(new FeedEntry.Publish(event(7, topic, 1)));
        JsonNode e = s.socket().nextOf(0, "message.create");
        assertEquals(2, e.path("seq").asLong(), "the first event after READY");
        assertEquals(1, e.path("data").path("n").asInt());
        s.socket().close();
    }

    @Test
    void aPublishHereGoesThroughTheSharedLogSoOtherNodesSeeIt() throws Exception {
        String topic = topic();
        Gw.publish(topic, "message.create", Map.of("n", 42));
        await().atMost(Duration.ofSeconds(10)).until(() -> seenByOtherNode.stream().anyMatch(e ->
                e instanceof FeedEntry.Publish p && p.event().topics().equals(List.of(topic))));
    }

    @Test
    void aSessionAnotherNodeHeldIsRebuiltHereOnResumeWithEveryEventOnceAndInOrder() throws Exception {
        String topic = topic();
        String sessionId = "ghost-" + UUID.randomUUID();
        String token = Tokens.user("red-ghost", topic);
        // the other node held the session: seq 5 at this position, hearing its personal topic and `topic`
        heldElsewhere(sessionId, "red-ghost", List.of("user:red-ghost", topic), 5, append(new FeedEntry.Mark("other-node")));
        // the other node sent seq 6 and 7 to the client, then died; 8 was published after it died
        append(new FeedEntry.Publish(event(1, topic, 6)));
        append(new FeedEntry.Direct(sessionId, event(2, "user:red-ghost", 7)));
        append(new FeedEntry.Publish(event(3, "other-topic", -1)));
        append(new FeedEntry.Publish(event(4, topic, 8)));

        RawSocket socket = Gw.resumeOn(token, sessionId, 6);
        JsonNode seven = socket.next();
        JsonNode eight = socket.next();
        JsonNode resumed = socket.next();
        assertEquals(7, seven.path("seq").asLong(), seven.toString());
        assertEquals(7, seven.path("data").path("n").asInt());
        assertEquals(8, eight.path("seq").asLong(), eight.toString());
        assertEquals(8, eight.path("data").path("n").asInt());
        assertEquals("resumed", resumed.path("type").asText(), resumed.toString());
        assertEquals(2, resumed.path("data").path("replayed").asInt(), "7 and 8, nothing from other topics");
        assertEquals(8, resumed.path("data").path("seq").asLong());
        // live from here: the next seq
        Gw.publish(topic, "message.create", Map.of("n", 9));
        JsonNode nine = socket.nextOf(0, "message.create");
        assertEquals(9, nine.path("seq").asLong());
        // the node that held it is told
        await().atMost(Duration.ofSeconds(10)).until(() -> seenByOtherNode.contains(new FeedEntry.Takeover(sessionId, "node-under-test")));
        socket.close();
    }

    @Test
    void aResumeOfAnotherPrincipalsSessionIsRefusedAsUnknown() throws Exception {
        String sessionId = "ghost-" + UUID.randomUUID();
        heldElsewhere(sessionId, "owner", List.of("user:owner"), 3, append(new FeedEntry.Mark("other-node")));
        assertEquals("resume refused: unknown session", refusedReason(Gw.resumeOn(Tokens.user("intruder"), sessionId, 3)));
    }

    @Test
    void aResumeFromACheckpointOfAnotherEpochIsRefusedNotResumable() throws Exception {
        String sessionId = "ghost-" + UUID.randomUUID();
        heldElsewhere(sessionId, "red-old", List.of("user:red-old"), 3, new LogPosition("an-epoch-long-gone", 1, 0));
        assertEquals("resume refused: history epoch changed; start a new session",
                refusedReason(Gw.resumeOn(Tokens.user("red-old"), sessionId, 3)));
    }

    @Test
    void aResumeOlderThanTheCheckpointIsRefusedAsAGap() throws Exception {
        String sessionId = "ghost-" + UUID.randomUUID();
        heldElsewhere(sessionId, "red-gap", List.of("user:red-gap"), 10, append(new FeedEntry.Mark("other-node")));
        String reason = refusedReason(Gw.resumeOn(Tokens.user("red-gap"), sessionId, 4));
        assertTrue(reason.startsWith("resume refused: events after seq 4 are no longer retained"), reason);
    }

    @Test
    void anotherNodesTakeoverClosesTheSocketHereWith4015AndKeepsTheCheckpoint() throws Exception {
        Gw.Session s = Gw.ready(Tokens.user("red-moved"), "messages");
        await().atMost(Duration.ofSeconds(10)).until(() -> otherNode.checkpoint(s.sessionId()).toCompletableFuture().get().isPresent());
        append(new FeedEntry.Takeover(s.sessionId(), "other-node"));
        RawSocket.Closed closed = s.socket().awaitClose();
        assertEquals(4015, closed.code());
        assertTrue(otherNode.checkpoint(s.sessionId()).toCompletableFuture().get(5, TimeUnit.SECONDS).isPresent(),
                "the other node resumes from it");
    }

    @Test
    void aLiveSessionsCheckpointFollowsItsSeq() throws Exception {
        String topic = topic();
        Gw.Session s = Gw.ready(Tokens.user("red-cp", topic), "messages");
        Gw.publish(topic, "message.create", Map.of("n", 1));
        Gw.publish(topic, "message.create", Map.of("n", 2));
        assertEquals(2, s.socket().nextOf(0, "message.create").path("seq").asLong());
        assertEquals(3, s.socket().nextOf(0, "message.create").path("seq").asLong());
        await().atMost(Duration.ofSeconds(15)).until(() -> otherNode.checkpoint(s.sessionId()).toCompletableFuture().get()
                .map(b -> SessionCheckpoint.decodeAll(JSON, b)).filter(l -> !l.isEmpty())
                .map(l -> l.get(l.size() - 1).seq()).orElse(0L) == 3L);
        s.socket().close();
    }

    @Test
    void withRedisDownPublishingIs503AndTheNodeIsNotReadyUntilRedisIsBackEmptyInANewEpoch() throws Exception {
        String topic = topic();
        String other = topic();
        Gw.Session s = Gw.ready(Tokens.user("red-down", topic, other), "messages");
        RedisEngineResource.redis().stop();
        try {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> RestAssured.get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'fanout-engine' }.status", equalTo("DOWN")));
            Gw.publish(Tokens.publisher("red-pub"), Map.of("type", "message.create", "topic", topic, "data", Map.of("n", 1)))
                    .statusCode(503).body("error.code", equalTo("engine_unavailable"));
            // the socket stays, and what only this node says to it still arrives
            s.socket().send(Gw.subscribe(List.of(other), List.of()));
            JsonNode update = s.socket().nextOf(0, "subscriptions.update");
            assertEquals(2, update.path("seq").asLong(), "nothing was delivered from the refused publish");
            // a RESUME of a session held elsewhere cannot be decided: retry later (4000), not INVALID_SESSION
            RawSocket elsewhere = Gw.resumeOn(Tokens.user("red-down"), "held-elsewhere-" + UUID.randomUUID(), 4);
            RawSocket.Closed retry = elsewhere.awaitClose();
            assertEquals(4000, retry.code(), retry.toString());
            assertEquals("session history unavailable; retry", retry.reason());
            assertTrue(elsewhere.drainReceived().stream().noneMatch(f -> f.path("op").asInt() == 7), "no INVALID_SESSION");
        } finally {
            RedisEngineResource.redis().restart();
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> RestAssured.get("/q/health/ready").then().statusCode(200));
        Gw.publish(other, "message.create", Map.of("n", 2));
        JsonNode e = s.socket().nextOf(0, "message.create");
        assertEquals(3, e.path("seq").asLong());
        assertEquals(2, e.path("data").path("n").asInt());
        String metrics = RestAssured.get("/q/metrics").asString();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("appmanager_fanout_epoch_changes_total") && !l.endsWith(" 0.0")),
                "the restart was an epoch change");
        s.socket().close();
    }

    @Test
    void anAppSocketCloseDecidedOnAnotherNodeClosesTheSocketHereButNeverANewerOne() throws Exception {
        Apps.Running r = apps.running("red-close", 5000, Map.of());
        long generation = r.sdk().app().path("generation").asLong();
        // a close for the generation before this socket's (an older instance's) leaves it open ...
        append(new FeedEntry.CloseAppSocket(r.id(), generation - 1, 4015, "older socket"));
        // ... a close for its own generation (a stop decided on the other node) closes it
        append(new FeedEntry.CloseAppSocket(r.id(), generation, 4017, "app session stopped"));
        RawSocket.Closed closed = r.sdk().socket().awaitClose();
        assertEquals(4017, closed.code(), closed.toString());
        assertEquals("app session stopped", closed.reason());
    }

    @Test
    void aStopDecidedHereReachesTheOtherNodes() throws Exception {
        Apps.Running r = apps.running("red-stop", 5000, Map.of());
        long generation = r.sdk().app().path("generation").asLong();
        Apps.stop(r.id()).statusCode(200);
        assertEquals(4017, r.sdk().socket().awaitClose().code());
        await().atMost(Duration.ofSeconds(10)).until(() -> seenByOtherNode.stream().anyMatch(e ->
                e instanceof FeedEntry.CloseAppSocket c && c.appSessionId().equals(r.id()) && c.upToGeneration() == generation
                        && c.code() == 4017));
    }

    @Test
    void aPublishRedisDidNotAnswerInTimeIs504AndMayStillBeDelivered() throws Exception {
        String topic = topic();
        Gw.Session s = Gw.ready(Tokens.user("red-slow", topic), "messages");
        io.vertx.redis.client.Redis admin = io.vertx.redis.client.Redis.createClient(vertx, RedisEngineResource.redis().url());
        try {
            // Redis holds every client's commands for 3 s: longer than the 2 s command timeout
            admin.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.CLIENT).arg("PAUSE").arg(3000))
                    .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            Gw.publish(Tokens.publisher("red-slow-pub"), Map.of("type", "message.create", "topic", topic, "data", Map.of("n", 1)))
                    .statusCode(504).body("error.code", equalTo("engine_timeout"));
        } finally {
            admin.close();
        }
        // the append was queued in Redis all along: it lands when the pause ends, as the 504 warned
        JsonNode e = s.socket().nextOf(0, "message.create");
        assertEquals(1, e.path("data").path("n").asInt());
        s.socket().close();
    }

    @Test
    void aClientBehindTheNewestCheckpointIsRebuiltFromAnOlderOne() throws Exception {
        String topic = topic();
        String sessionId = "ghost-" + UUID.randomUUID();
        // the other node checkpointed seq 3, then queued 4 and 5 to a socket that died, and checkpointed seq 5
        LogPosition first = append(new FeedEntry.Mark("other-node"));
        append(new FeedEntry.Publish(event(1, topic, 4)));
        LogPosition second = append(new FeedEntry.Publish(event(2, topic, 5)));
        List<SessionCheckpoint> kept = List.of(
                new SessionCheckpoint(sessionId, "red-behind", Set.of("messages"), List.of("user:red-behind", topic), 3, first, null),
                new SessionCheckpoint(sessionId, "red-behind", Set.of("messages"), List.of("user:red-behind", topic), 5, second, null));
        otherNode.saveCheckpoints(List.of(new SharedLog.CheckpointWrite(sessionId, 5, SessionCheckpoint.encodeAll(JSON, kept))),
                Duration.ofMinutes(1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        append(new FeedEntry.Publish(event(3, topic, 6)));
        // the client got only seq 3
        RawSocket socket = Gw.resumeOn(Tokens.user("red-behind", topic), sessionId, 3);
        for (int seq = 4; seq <= 6; seq++) {
            JsonNode e = socket.next();
            assertEquals(seq, e.path("seq").asLong(), e.toString());
            assertEquals(seq, e.path("data").path("n").asInt());
        }
        assertEquals("resumed", socket.next().path("type").asText());
        socket.close();
    }
}
