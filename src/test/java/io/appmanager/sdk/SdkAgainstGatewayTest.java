package io.appmanager.sdk;

import io.appmanager.support.Gw;
import io.appmanager.support.RecordingClient;
import io.appmanager.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SDK against the real gateway: the client side of seeds 000-002. */
@QuarkusTest
class SdkAgainstGatewayTest {

    @Test
    void connectsAndReceivesEvents() {
        try (RecordingClient c = new RecordingClient(Tokens.user("sdk-a", "sdk.room"), List.of("messages")).start()) {
            await().until(() -> !c.readies.isEmpty());
            ReadyInfo ready = c.readies.get(0);
            assertEquals("sdk-a", ready.userId());
            assertEquals("v1", ready.apiVersion());
            assertEquals(List.of(), c.notices, "same versions: no notice");
            Gw.publish("sdk.room", "message.create", Map.of("n", 1));
            await().until(() -> c.events.size() == 1);
            assertEquals(2, c.events.get(0).seq());
        }
    }

    @Test
    void resumesAfterADropAndGetsWhatItMissed() {
        try (RecordingClient c = new RecordingClient(Tokens.user("sdk-b", "sdk.resume"), List.of("messages")).start()) {
            await().until(() -> !c.readies.isEmpty());
            Gw.publish("sdk.resume", "message.create", Map.of("n", 0));
            await().until(() -> c.events.size() == 1);
            c.client.abortConnection();
            Gw.publish("sdk.resume", "message.create", Map.of("n", 1));
            Gw.publish("sdk.resume", "message.create", Map.of("n", 2));
            await().until(() -> c.events.size() == 3 && !c.resumes.isEmpty());
            assertEquals(List.of(0, 1, 2), c.events.stream().map(e -> e.data().path("n").asInt()).toList());
            assertEquals(List.of(2L, 3L, 4L), c.events.stream().map(GatewayEvent::seq).toList());
            assertEquals(1, c.readies.size(), "resumed, not re-identified");
            assertEquals(List.of(), c.anomalies);
        }
    }

    @Test
    void subscribeSentBeforeReadyIsQueuedAndFlushed() {
        RecordingClient c = new RecordingClient(Tokens.user("sdk-c", "sdk.late.*"), List.of("messages"));
        assertTrue(c.client.subscribe(List.of("sdk.late.one"), List.of()), "queued while not connected");
        c.start();
        try (c) {
            await().until(() -> !c.eventsOfType("subscriptions.update").isEmpty());
            assertEquals("sdk.late.one", c.eventsOfType("subscriptions.update").get(0).data().path("added").get(0).asText());
            Gw.publish("sdk.late.one", "message.create", Map.of("n", 1));
            await().until(() -> !c.eventsOfType("message.create").isEmpty());
        }
    }

    @Test
    void badTokenRefreshesOnceThenSucceeds() {
        AtomicReference<String> fresh = new AtomicReference<>(Tokens.user("sdk-d"));
        try (RecordingClient c = new RecordingClient(() -> "expired-garbage", fresh::get, List.of("messages")).start()) {
            await().until(() -> !c.readies.isEmpty());
            assertEquals(1, c.refreshes.get());
            assertTrue(c.disconnects.contains(4004));
            assertEquals(List.of(), c.failures);
        }
    }

    @Test
    void badTokenThatStaysBadFailsAfterOneRefresh() {
        try (RecordingClient c = new RecordingClient(() -> "garbage", () -> "still-garbage", List.of("messages")).start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> !c.failures.isEmpty());
            assertEquals(1, c.refreshes.get());
            assertEquals(AccordClient.State.FAILED, c.client.state());
        }
    }

    @Test
    void disallowedIntentIsFatal() {
        try (RecordingClient c = new RecordingClient(() -> Tokens.user("sdk-e"), () -> Tokens.user("sdk-e"),
                List.of("messages", "presences")).start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> !c.failures.isEmpty());
            assertTrue(c.disconnects.contains(4014));
            assertTrue(c.readies.isEmpty());
        }
    }

    @Test
    void takenOverSessionIsTerminalForTheOldClient() throws Exception {
        String token = Tokens.user("sdk-f");
        try (RecordingClient c = new RecordingClient(token, List.of("messages")).start()) {
            await().until(() -> !c.readies.isEmpty());
            try (var raw = Gw.resumeOn(token, c.readies.get(0).sessionId(), c.client.lastSeq())) {
                assertEquals("resumed", raw.next().path("type").asText());
                await().until(() -> !c.failures.isEmpty());
                assertTrue(c.disconnects.contains(4015));
            }
        }
    }
}
