package io.appmanager.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppIdentifyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode props(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void anAppKeyIsRecognisedWithOrWithoutItsScheme() {
        assertTrue(AppIdentify.isAppKey("Bot amk_abc"));
        assertTrue(AppIdentify.isAppKey("bot  amk_abc"));
        assertTrue(AppIdentify.isAppKey("amk_abc"));
        assertFalse(AppIdentify.isAppKey("Bearer eyJhbGciOi"));
        assertFalse(AppIdentify.isAppKey(null));
        assertEquals("amk_abc", AppIdentify.key("Bot amk_abc"));
    }

    @Test
    void aCompleteClaimParses() throws Exception {
        var p = AppIdentify.parse("Bot amk_k", props("{\"package_name\":\"com.example.app\",\"user_session_id\":\"us-1\","
                + "\"reconnect\":true,\"reconnect_token\":\"rt_2_x\"}"));
        assertTrue(p.isOk(), p.error());
        assertEquals(new AppIdentify.Claim("com.example.app", "amk_k", "us-1", true, Optional.of("rt_2_x")), p.value());
    }

    @Test
    void optionalPropertiesMayBeAbsentOrNull() throws Exception {
        var p = AppIdentify.parse("Bot amk_k", props("{\"package_name\":\"com.example.app\",\"user_session_id\":\"us-1\","
                + "\"reconnect\":null,\"reconnect_token\":null}"));
        assertTrue(p.isOk(), p.error());
        assertFalse(p.value().hint());
        assertEquals(Optional.empty(), p.value().reconnectToken());
    }

    @Test
    void everyBadPropertyIsNamed() throws Exception {
        assertEquals("IDENTIFY with an app key needs data.properties with package_name and user_session_id",
                AppIdentify.parse("Bot amk_k", null).error());
        assertTrue(AppIdentify.parse("Bot amk_k", props("[]")).error().contains("data.properties"));
        assertTrue(AppIdentify.parse("Bot amk_k", props("{\"user_session_id\":\"u\"}")).error().contains("package_name"));
        assertTrue(AppIdentify.parse("Bot amk_k", props("{\"package_name\":\"UPPER\",\"user_session_id\":\"u\"}"))
                .error().contains("package_name"));
        assertTrue(AppIdentify.parse("Bot amk_k", props("{\"package_name\":\"com.a\"}")).error().contains("user_session_id"));
        assertTrue(AppIdentify.parse("Bot amk_k", props("{\"package_name\":\"com.a\",\"user_session_id\":\""
                + "u".repeat(101) + "\"}")).error().contains("user_session_id"));
        assertTrue(AppIdentify.parse("Bot amk_k", props("{\"package_name\":\"com.a\",\"user_session_id\":\"u\","
                + "\"reconnect\":1}")).error().contains("reconnect must be a boolean"));
        assertTrue(AppIdentify.parse("Bot amk_k", props("{\"package_name\":\"com.a\",\"user_session_id\":\"u\","
                + "\"reconnect_token\":[]}")).error().contains("reconnect_token"));
    }
}
