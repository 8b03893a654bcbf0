package io.appmanager.platform;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.hamcrest.Matchers.equalTo;

/** Outside development the token mint does not exist. */
@QuarkusTest
@TestProfile(DevTokensDisabledTest.Production.class)
class DevTokensDisabledTest {

    public static class Production implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("appmanager.auth.dev-tokens-enabled", "false",
                    "appmanager.gateway.public-url", "wss://gw.example.test/");
        }
    }

    @Test
    void devTokenEndpointIs404() {
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("sub", "x"))
                .post("/api/v1/dev/tokens").then().statusCode(404).body("error.code", equalTo("not_found"));
    }

    @Test
    void configuredPublicUrlIsAnnounced() {
        RestAssured.get("/api/v1/gateway").then().statusCode(200)
                .body("data.url", equalTo("wss://gw.example.test/ws?v=1&encoding=json"));
    }
}
