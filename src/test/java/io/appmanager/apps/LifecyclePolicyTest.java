package io.appmanager.apps;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LifecyclePolicyTest {

    @Test
    void defaultsAreTheDocumentedNumbers() {
        LifecyclePolicy p = LifecyclePolicy.defaults();
        assertEquals(Duration.ofMillis(6000), p.reconnectGrace());
        assertEquals(Duration.ofSeconds(30), p.restartGrace());
        assertEquals(Duration.ofSeconds(30), p.startTimeout());
        assertEquals(10, p.maxAttempts());
        assertEquals(Duration.ofSeconds(2), p.baseDelay());
        assertEquals(Duration.ofSeconds(60), p.maxDelay());
        assertEquals(Duration.ofSeconds(5), p.firstAttemptJitter());
    }

    @Test
    void defaultsBeatMentraOs() {
        LifecyclePolicy p = LifecyclePolicy.defaults();
        Duration mentraGrace = Duration.ofSeconds(5);
        Duration mentraStartTimeout = Duration.ofSeconds(6);
        Duration podRestart = Duration.ofSeconds(25);
        assertTrue(p.reconnectGrace().compareTo(mentraGrace) > 0);
        assertTrue(p.reconnectGrace().compareTo(Duration.ofSeconds(5)) >= 0
                && p.reconnectGrace().compareTo(Duration.ofSeconds(8)) <= 0, "seed 004 asks 5-8 s");
        assertTrue(p.startTimeout().compareTo(podRestart) > 0, "a ~25 s pod start must fit the start timeout");
        assertTrue(p.startTimeout().compareTo(mentraStartTimeout) > 0);
        assertTrue(p.restartGrace().compareTo(p.reconnectGrace()) > 0, "after our own restart SDKs get longer");
    }

    static Stream<Arguments> invalid() {
        Duration ok = Duration.ofSeconds(1);
        List<Arguments> rows = new ArrayList<>();
        for (Duration bad : new Duration[]{null, Duration.ZERO, Duration.ofMillis(-1)}) {
            rows.add(Arguments.of("reconnectGrace", (Runnable) () -> new LifecyclePolicy(bad, ok, ok, 1, ok, ok, ok)));
            rows.add(Arguments.of("restartGrace", (Runnable) () -> new LifecyclePolicy(ok, bad, ok, 1, ok, ok, ok)));
            rows.add(Arguments.of("startTimeout", (Runnable) () -> new LifecyclePolicy(ok, ok, bad, 1, ok, ok, ok)));
            rows.add(Arguments.of("baseDelay", (Runnable) () -> new LifecyclePolicy(ok, ok, ok, 1, bad, ok, ok)));
            rows.add(Arguments.of("maxDelay", (Runnable) () -> new LifecyclePolicy(ok, ok, ok, 1, ok, bad, ok)));
            rows.add(Arguments.of("firstAttemptJitter", (Runnable) () -> new LifecyclePolicy(ok, ok, ok, 1, ok, ok, bad)));
        }
        for (int bad : new int[]{0, -1, Integer.MIN_VALUE}) {
            rows.add(Arguments.of("maxAttempts", (Runnable) () -> new LifecyclePolicy(ok, ok, ok, bad, ok, ok, ok)));
        }
        rows.add(Arguments.of("maxDelay", (Runnable) () ->
                new LifecyclePolicy(ok, ok, ok, 1, Duration.ofSeconds(60), Duration.ofSeconds(2), ok)));
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} #{index}")
    @MethodSource("invalid")
    void anInvalidValueIsRefusedNamingItsField(String field, Runnable construct) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct::run);
        assertTrue(e.getMessage().startsWith(field + " "), e.getMessage());
    }

    @Test
    void theSmallestValidPolicyIsAccepted() {
        Duration tiny = Duration.ofNanos(1);
        assertDoesNotThrow(() -> new LifecyclePolicy(tiny, tiny, tiny, 1, tiny, tiny, tiny));
    }
}
