package io.appmanager.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.appmanager.support.Apps;
import io.appmanager.support.RecordingClient;
import io.appmanager.support.SinkExtension;
import io.appmanager.support.WebhookSink;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our Java SDK as an app SDK: when its gateway session is gone (the node that held it lost it) its
 * RESUME is refused, it IDENTIFYs again with the reconnect token READY gave it, and AppManager
 * re-attaches it as the same instance: no webhook, same app session.
 */
@QuarkusTest
class AppSdkReconnectTest {

    @Inject
    SessionRegistry registry;

    @RegisterExtension
    static final SinkExtension apps = new SinkExtension();

    @Test
    void anSdkWhoseSessionIsGoneReIdentifiesWithItsTokenAndIsTheSameInstance() {
        Apps.Started started = apps.started("sdk-app", 5000, Map.of());
        Apps.Registered app = started.app();
        String userSession = started.userSession();
        String id = started.id();
        try (RecordingClient sdk = new RecordingClient(() -> "Bot " + app.apiKey(), null, List.of("messages"),
                Map.of("package_name", app.packageName(), "user_session_id", userSession)).start()) {
            await().until(() -> sdk.readies.size() == 1);
            JsonNode first = sdk.readies.get(0).raw().path("app_session");
            assertEquals(id, first.path("id").asText());

            // the gateway session is lost (as a restarted node loses them); the app session is not
            GatewaySession gone = registry.session(sdk.readies.get(0).sessionId());
            gone.end(null);
            registry.removeSession(gone);
            sdk.client.abortConnection();

            await().until(() -> sdk.readies.size() == 2);
            JsonNode again = sdk.readies.get(1).raw().path("app_session");
            assertEquals(id, again.path("id").asText(), "the same app session");
            assertEquals("token", again.path("reconnect").path("reason").asText(), again.toString());
            assertTrue(again.path("generation").asLong() > first.path("generation").asLong());
            assertEquals("RUNNING", Apps.state(id));
            assertEquals(1, apps.sink().of("session_request", id).size(), "no resurrection");
            assertEquals(List.of(), sdk.failures);
        }
    }
}
