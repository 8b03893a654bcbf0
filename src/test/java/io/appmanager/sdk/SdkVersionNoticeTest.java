package io.appmanager.sdk;

import io.appmanager.support.RecordingClient;
import io.appmanager.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** READY's sdk versions come from configuration and reach the SDK's listener (seed 000's open gap). */
@QuarkusTest
@TestProfile(SdkVersionNoticeTest.NewerSdkRequired.class)
class SdkVersionNoticeTest {

    public static class NewerSdkRequired implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("appmanager.gateway.sdk.min-version", "9.0.0",
                    "appmanager.gateway.sdk.latest-version", "9.1.0");
        }
    }

    @Test
    void serverRequiringANewerSdkIsReportedToTheListener() {
        try (RecordingClient c = new RecordingClient(Tokens.user("old-sdk"), List.of("messages")).start()) {
            await().until(() -> !c.readies.isEmpty());
            assertEquals("9.0.0", c.readies.get(0).sdkMinVersion());
            assertEquals(VersionNotice.Kind.UPDATE_REQUIRED, c.notices.get(0).kind());
        }
    }
}
