package io.appmanager.apps;

import com.fasterxml.jackson.databind.JsonNode;
import io.appmanager.support.Apps;
import io.appmanager.support.RawSocket;
import io.appmanager.support.SinkExtension;
import io.appmanager.support.WebhookSink;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * At most one live instance per app session: stale tokens and instances without evidence are refused
 * with 4016, the original beating a resurrected instance is a false resurrection, and a stopped app
 * stays stopped (4017).
 */
@QuarkusTest
class FencingAndStopTest {

    private static final long GRACE_MS = 3000;
    @RegisterExtension
    static final SinkExtension apps = new SinkExtension();

    private Apps.Running running(String name, Map<String, Object> policy) throws Exception {
        return apps.running(name, GRACE_MS, policy);
    }

    private static void assertRefused(RawSocket s, int code) {
        JsonNode invalid = s.next();
        assertEquals(7, invalid.path("op").asInt(), "INVALID_SESSION before the close: " + invalid);
        assertEquals(code, s.awaitClose().code());
    }

    @Test
    void anInstanceWithoutEvidenceCannotTakeARunningSession() throws Exception {
        Apps.Running r = running("fence", Map.of());
        RawSocket intruder = Apps.connect(Apps.identify(r.app(), r.userSession(), Map.of()));
        assertRefused(intruder, AppCloseCodes.FENCED);
        assertEquals("RUNNING", Apps.state(r.id()));
        assertEquals(2, Apps.session(r.id()).path("generation").asLong(), "state unchanged");
        assertTrue(!r.sdk().socket().isClosed(), "the owner keeps its socket");
        r.sdk().socket().close();
    }

    @Test
    void aStaleReconnectTokenIsRefusedAfterANewerConnection() throws Exception {
        Apps.Running r = running("stale", Map.of());
        String oldToken = r.sdk().token();
        r.sdk().socket().abort();
        await().until(() -> Apps.state(r.id()).equals("GRACE_PERIOD"));
        Apps.Sdk back = Apps.ready(r.app(), r.userSession(), Map.of("reconnect_token", oldToken));
        assertEquals(3, back.app().path("generation").asLong());

        RawSocket orphan = Apps.connect(Apps.identify(r.app(), r.userSession(), Map.of("reconnect_token", oldToken)));
        assertRefused(orphan, AppCloseCodes.FENCED);
        assertEquals("RUNNING", Apps.state(r.id()));
        assertEquals(3, Apps.session(r.id()).path("generation").asLong());
        back.socket().close();
    }

    @Test
    void theSameInstanceReconnectingWithItsTokenReplacesItsOldSocket() throws Exception {
        Apps.Running r = running("takeover", Map.of());
        Apps.Sdk again = Apps.ready(r.app(), r.userSession(), Map.of("reconnect_token", r.sdk().token()));
        assertEquals(AppCloseCodes.REPLACED, r.sdk().socket().awaitClose().code());
        assertEquals("RUNNING", again.app().path("state").asText());
        assertEquals("RUNNING", Apps.state(r.id()), "a replaced socket's close is not a drop");
        again.socket().close();
    }

    @Test
    void theOriginalComingBackDuringAResurrectionWinsAndTheLateInstanceIsFenced() throws Exception {
        // a 20 s start timeout keeps the session RESURRECTING while the original comes back
        Apps.Running r = running("false-res", Map.of("first_attempt_jitter_ms", 1, "start_timeout_ms", 20000));
        double falseBefore = ReconnectVersusResurrectionTest.counter("appmanager_app_false_resurrections_total");
        r.sdk().socket().abort();
        await().atMost(Duration.ofSeconds(20)).until(() -> apps.sink().of("session_request", r.id()).size() == 2);
        await().until(() -> Apps.state(r.id()).equals("RESURRECTING")
                && Apps.session(r.id()).path("webhook_accepted").asBoolean());

        Apps.Sdk original = Apps.ready(r.app(), r.userSession(), Map.of("reconnect_token", r.sdk().token()));
        assertEquals("RUNNING", original.app().path("state").asText());
        assertEquals(falseBefore + 1, ReconnectVersusResurrectionTest.counter("appmanager_app_false_resurrections_total"));

        RawSocket late = Apps.connect(Apps.identify(r.app(), r.userSession(), Map.of()));
        assertRefused(late, AppCloseCodes.FENCED);
        assertEquals("RUNNING", Apps.state(r.id()));
        original.socket().close();
    }

    @Test
    void stopSendsStopRequestClosesTheSocketWith4017AndTheAppStaysStopped() throws Exception {
        Apps.Running r = running("stop", Map.of());
        Apps.stop(r.id()).statusCode(200);
        assertEquals(AppCloseCodes.STOPPED, r.sdk().socket().awaitClose().code());
        await().until(() -> Apps.state(r.id()).equals("STOPPED"));
        WebhookSink.Received stop = apps.sink().of("stop_request", r.id()).get(0);
        assertEquals("user_disabled", stop.body().path("reason").asText());

        RawSocket again = Apps.connect(Apps.identify(r.app(), r.userSession(), Map.of("reconnect_token", r.sdk().token())));
        assertRefused(again, AppCloseCodes.STOPPED);
        assertEquals("STOPPED", Apps.state(r.id()));
        assertEquals(1, apps.sink().of("session_request", r.id()).size(), "a stopped app is never resurrected");
    }

    @Test
    void aStartAfterAStopMakesANewAppSession() throws Exception {
        Apps.Running r = running("restart-after-stop", Map.of());
        Apps.stop(r.id()).statusCode(200);
        await().until(() -> Apps.state(r.id()).equals("STOPPED"));
        String next = Apps.start(r.app().packageName(), r.userSession());
        assertTrue(!next.equals(r.id()));
        assertEquals("CONNECTING", Apps.state(next));
    }

    @Test
    void startingALiveSessionAgainAnswersWithIt() throws Exception {
        Apps.Running r = running("idempotent-start", Map.of());
        String again = Apps.startRaw(r.app().packageName(), r.userSession())
                .statusCode(200).extract().path("id");
        assertEquals(r.id(), again);
        assertEquals(1, apps.sink().of("session_request", r.id()).size(), "no second start webhook");
        r.sdk().socket().close();
    }

    @Test
    void deletingAnAppClosesItsSdkWith4017AndItsKeyStopsWorking() throws Exception {
        Apps.Running r = running("deleted", Map.of());
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + Apps.admin())
                .delete("/api/v1/apps/" + r.app().packageName()).then().statusCode(204);
        assertEquals(AppCloseCodes.STOPPED, r.sdk().socket().awaitClose().code());
        RawSocket again = Apps.connect(Apps.identify(r.app(), r.userSession(), Map.of("reconnect_token", r.sdk().token())));
        assertRefused(again, 4004);
    }
}
