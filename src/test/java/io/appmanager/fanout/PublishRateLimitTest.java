package io.appmanager.fanout;

import io.appmanager.support.Gw;
import io.appmanager.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A publisher over its rate gets 429 with Retry-After (what seed 001's client honours), others are unaffected. */
@QuarkusTest
@TestProfile(PublishRateLimitTest.Tight.class)
class PublishRateLimitTest {

    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("appmanager.fanout.publish-rate.per-second", "0.2",
                    "appmanager.fanout.publish-rate.burst", "3");
        }
    }

    private static final Map<String, Object> BODY = Map.of("type", "x.y", "topic", "rate.t", "data", Map.of());

    @Test
    void overTheRateIs429WithRetryAfterAndOtherPublishersAreUnaffected() {
        String token = Tokens.publisher("rate-limited");
        for (int i = 0; i < 3; i++) {
            Gw.publish(token, BODY).statusCode(200);
        }
        String retryAfter = Gw.publish(token, BODY).statusCode(429)
                .body("error.code", equalTo("rate_limited"))
                .header("Retry-After", notNullValue())
                .extract().header("Retry-After");
        long seconds = Long.parseLong(retryAfter);
        assertTrue(seconds >= 1 && seconds <= 5, "one token per 5 s: " + seconds);
        Gw.publish(Tokens.publisher("someone-else"), BODY).statusCode(200);
    }
}
