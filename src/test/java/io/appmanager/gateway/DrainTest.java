package io.appmanager.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.appmanager.support.Gw;
import io.appmanager.support.RawSocket;
import io.appmanager.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Graceful shutdown as Kubernetes drives it: readiness DOWN, every client told RECONNECT and
 * closed with 1001, sessions parked (not ended). Own profile: the drained app is not reused.
 */
@QuarkusTest
@TestProfile(DrainTest.Isolated.class)
class DrainTest {

    public static class Isolated implements QuarkusTestProfile {
    }

    @Inject
    GatewayLifecycle lifecycle;

    @Inject
    SessionRegistry registry;

    @Test
    void drainTurnsReadinessDownSendsReconnectThenCloses1001AndParksSessions() throws Exception {
        RestAssured.get("/q/health/ready").then().statusCode(200);
        Gw.Session a = Gw.ready(Tokens.user("drain-a"), "messages");
        Gw.Session b = Gw.ready(Tokens.user("drain-b"), "messages");

        CompletableFuture<Void> drained = CompletableFuture.runAsync(lifecycle::drainNow);
        for (Gw.Session s : new Gw.Session[]{a, b}) {
            JsonNode reconnect = s.socket().next();
            assertEquals(6, reconnect.path("op").asInt(), "RECONNECT first: " + reconnect);
            RawSocket.Closed closed = s.socket().awaitClose();
            assertEquals(1001, closed.code());
        }
        drained.get();
        RestAssured.get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'gateway' }.status", equalTo("DOWN"));
        RestAssured.get("/q/health/live").then().statusCode(200);
        for (Gw.Session s : new Gw.Session[]{a, b}) {
            GatewaySession session = registry.session(s.sessionId());
            assertTrue(session.isParked(), "parked, not ended");
            assertFalse(session.isEnded());
        }

        // A client that connects while draining is sent on its way at once.
        try (RawSocket late = RawSocket.connect(Gw.uri())) {
            assertEquals(6, late.next().path("op").asInt());
            assertEquals(1001, late.awaitClose().code());
        }
        await().until(() -> registry.connectionCount() == 0);
    }
}
