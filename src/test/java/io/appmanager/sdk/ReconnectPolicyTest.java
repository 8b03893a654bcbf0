package io.appmanager.sdk;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReconnectPolicyTest {

    @Test
    void defaultsAreAccordKitsPlusAFifteenSecondHelloTimeout() {
        ReconnectPolicy p = ReconnectPolicy.defaults();
        assertEquals(Duration.ofSeconds(1), p.baseDelay());
        assertEquals(10, p.maxAttempts());
        assertEquals(Duration.ofSeconds(15), p.helloTimeout());
    }

    @Test
    void helloTimeoutMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.defaults().withHelloTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.defaults().withHelloTimeout(Duration.ofMillis(-1)));
        assertThrows(NullPointerException.class, () -> ReconnectPolicy.defaults().withHelloTimeout(null));
    }

    @Test
    void withersChangeOnlyTheirField() {
        ReconnectPolicy p = ReconnectPolicy.defaults().withHelloTimeout(Duration.ofSeconds(2));
        assertEquals(Duration.ofSeconds(2), p.helloTimeout());
        assertEquals(ReconnectPolicy.defaults().baseDelay(), p.baseDelay());
        assertEquals(ReconnectPolicy.defaults().maxAttempts(), p.maxAttempts());
        assertEquals(Duration.ofSeconds(2), p.withMaxAttempts(3).helloTimeout(), "other withers keep it");
    }
}
