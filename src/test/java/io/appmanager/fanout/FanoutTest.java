package io.appmanager.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import io.appmanager.support.Gw;
import io.appmanager.support.RawSocket;
import io.appmanager.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who gets a published event: subscribers of its topics whose intents cover its type, once each, in order. */
@QuarkusTest
class FanoutTest {

    @Test
    void publishedEventReachesEverySubscriberOfTheTopic() throws Exception {
        Gw.Session a = Gw.ready(Tokens.user("fan-a", "room.shared"), "messages");
        Gw.Session b = Gw.ready(Tokens.user("fan-b", "room.shared"), "messages");
        Gw.Session outsider = Gw.ready(Tokens.user("fan-c", "room.other"), "messages");
        try (RawSocket sa = a.socket(); RawSocket sb = b.socket(); RawSocket sc = outsider.socket()) {
            Gw.publish("room.shared", "message.create", Map.of("text", "hi"));
            for (RawSocket s : List.of(sa, sb)) {
                JsonNode e = s.next();
                assertEquals(0, e.path("op").asInt());
                assertEquals(2, e.path("seq").asLong(), "first event after READY");
                assertEquals("message.create", e.path("type").asText());
                assertEquals("hi", e.path("data").path("text").asText());
            }
            sc.send(Gw.heartbeat(1L));
            assertEquals(4, sc.next().path("op").asInt(), "the outsider got nothing before its ACK");
        }
    }

    @Test
    void personalTopicIsSubscribedWithoutAsking() throws Exception {
        Gw.Session s = Gw.ready(Tokens.user("solo"), "direct_messages");
        try (RawSocket socket = s.socket()) {
            Gw.publish("user:solo", "notice.create", Map.of("k", 1));
            assertEquals("notice.create", socket.next().path("type").asText());
        }
    }

    @Test
    void eventsAreFilteredByIntent() throws Exception {
        Gw.Session noMessages = Gw.ready(Tokens.user("intent-a", "room.intents"), "spaces");
        Gw.Session messages = Gw.ready(Tokens.user("intent-b", "room.intents"), "messages");
        try (RawSocket a = noMessages.socket(); RawSocket b = messages.socket()) {
            Gw.publish("room.intents", "message.create", Map.of("n", 1));
            Gw.publish("room.intents", "channel.update", Map.of("n", 2));
            Gw.publish("room.intents", "interaction.create", Map.of("n", 3));
            assertEquals("channel.update", a.next().path("type").asText(), "message.* needs the messages intent");
            assertEquals("interaction.create", a.next().path("type").asText(), "no intent needed");
            assertEquals("message.create", b.next().path("type").asText());
            assertEquals("interaction.create", b.next().path("type").asText(), "spaces intent missing: channel.update skipped");
        }
    }

    @Test
    void privilegedEventsNeedTheGrantedIntent() throws Exception {
        Gw.Session granted = Gw.ready(Tokens.of("priv-a").topics("room.priv").privileged("members").mint(), "members");
        Gw.Session plain = Gw.ready(Tokens.user("priv-b", "room.priv"), "messages");
        try (RawSocket a = granted.socket(); RawSocket b = plain.socket()) {
            Gw.publish("room.priv", "member.update", Map.of("n", 1));
            Gw.publish("room.priv", "message.create", Map.of("n", 2));
            assertEquals("member.update", a.next().path("type").asText());
            assertEquals("message.create", b.next().path("type").asText());
        }
    }

    @Test
    void eventToSeveralTopicsArrivesOnceAtASessionSubscribedToMany() throws Exception {
        Gw.Session s = Gw.ready(Tokens.user("multi", "t.one", "t.two"), "messages");
        try (RawSocket socket = s.socket()) {
            Gw.publish(Tokens.publisher("pub"), Map.of("type", "message.create", "topics", List.of("t.one", "t.two"),
                    "data", Map.of("n", 1))).statusCode(200);
            Gw.publish("t.one", "message.create", Map.of("n", 2));
            JsonNode first = socket.next();
            JsonNode second = socket.next();
            assertEquals(1, first.path("data").path("n").asInt());
            assertEquals(2, second.path("data").path("n").asInt(), "the multi-topic event was not delivered twice");
            assertEquals(first.path("seq").asLong() + 1, second.path("seq").asLong());
        }
    }

    @Test
    void eventsArriveInPublishOrderWithSeqStrictlyPlusOne() throws Exception {
        Gw.Session s = Gw.ready(Tokens.user("orderly", "t.order"), "messages");
        try (RawSocket socket = s.socket()) {
            for (int i = 0; i < 100; i++) {
                Gw.publish("t.order", "message.create", Map.of("n", i));
            }
            for (int i = 0; i < 100; i++) {
                JsonNode e = socket.next();
                assertEquals(i, e.path("data").path("n").asInt());
                assertEquals(i + 2, e.path("seq").asLong());
            }
        }
    }

    @Test
    void subscribeAddsAuthorisedTopicsAndNamesEveryRefusal() throws Exception {
        Gw.Session s = Gw.ready(Tokens.user("subber", "chat.*"), "messages");
        try (RawSocket socket = s.socket()) {
            socket.send(Gw.subscribe(List.of("chat.room1", "secret.room", "bad topic*"), List.of()));
            JsonNode update = socket.next();
            assertEquals("subscriptions.update", update.path("type").asText());
            assertEquals(2, update.path("seq").asLong(), "the answer is an event with a seq like any other");
            JsonNode d = update.path("data");
            assertEquals("[\"chat.room1\"]", d.path("added").toString());
            assertEquals(2, d.path("refused").size());
            assertEquals("secret.room", d.path("refused").get(0).path("topic").asText());
            assertEquals("not_authorized", d.path("refused").get(0).path("reason").asText());
            assertEquals("bad topic*", d.path("refused").get(1).path("topic").asText());
            assertEquals("invalid_topic", d.path("refused").get(1).path("reason").asText());
            assertTrue(d.path("topics").toString().contains("chat.room1"));

            Gw.publish("chat.room1", "message.create", Map.of("n", 1));
            assertEquals("message.create", socket.next().path("type").asText());

            socket.send(Gw.subscribe(List.of(), List.of("chat.room1")));
            assertEquals("[\"chat.room1\"]", socket.next().path("data").path("removed").toString());
            Gw.publish("chat.room1", "message.create", Map.of("n", 2));
            socket.send(Gw.heartbeat(null));
            assertEquals(4, socket.next(Duration.ofSeconds(5)).path("op").asInt(), "nothing after unsubscribing");
        }
    }

    @Test
    void malformedSubscribeCloses4002() throws Exception {
        Gw.Session s = Gw.ready(Tokens.user("badsub", "chat.*"), "messages");
        try (RawSocket socket = s.socket()) {
            socket.send(Gw.frame(12, Map.of("add", "chat.room1")));
            RawSocket.Closed closed = socket.awaitClose();
            assertEquals(4002, closed.code());
            assertTrue(closed.reason().contains("add"), closed.reason());
        }
    }

    @Test
    void repeatedIdempotencyKeyDeliversOnce() throws Exception {
        Gw.Session s = Gw.ready(Tokens.user("idem-sub", "idem.once"), "messages");
        try (RawSocket socket = s.socket()) {
            Map<String, Object> body = Map.of("type", "message.create", "topic", "idem.once",
                    "data", Map.of("n", 1), "idempotency_key", "once");
            String token = Tokens.publisher("idem-pub");
            Gw.publish(token, body).statusCode(200);
            Gw.publish(token, body).statusCode(200);
            assertEquals("message.create", socket.next().path("type").asText());
            socket.send(Gw.heartbeat(null));
            assertEquals(4, socket.next().path("op").asInt(), "the repeat was not delivered");
        }
    }
}
