package io.appmanager.webhooks;

import io.appmanager.webhooks.WebhookCircuits.Circuit;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class WebhookCircuitsTest {

    static final Duration IDLE = Duration.ofMinutes(15);
    static final Duration DELAY = Duration.ofSeconds(30);
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    /** Stands in for the library's guard: remembers the listener it was handed, to move its state. */
    final List<Consumer<CircuitState>> listeners = new ArrayList<>();

    WebhookCircuits<String> circuits(int max) {
        return new WebhookCircuits<>(max, IDLE, clock::get, (name, listener) -> {
            listeners.add(listener);
            return "guard-" + name + "-" + listeners.size();
        });
    }

    void advance(Duration d) {
        clock.addAndGet(d.toNanos());
    }

    @Test
    void anAppKeepsItsOneGuardAndOthersGetTheirOwn() {
        WebhookCircuits<String> circuits = circuits(10);
        Circuit<String> a = circuits.acquire("a");
        assertSame(a, circuits.acquire("a"));
        assertEquals("guard-a-1", a.guard());
        assertEquals("guard-b-2", circuits.acquire("b").guard());
    }

    @Test
    void theListenerMovesTheStateAndTheCounts() {
        WebhookCircuits<String> circuits = circuits(10);
        circuits.acquire("a");
        circuits.acquire("b");
        listeners.get(0).accept(CircuitState.OPEN);
        assertEquals(CircuitState.OPEN, circuits.state("a"));
        assertEquals(CircuitState.CLOSED, circuits.state("b"));
        assertEquals(CircuitState.CLOSED, circuits.state("never-called"));
        assertEquals(1, circuits.count(CircuitState.OPEN));
        assertEquals(1, circuits.count(CircuitState.CLOSED));
        listeners.get(0).accept(CircuitState.HALF_OPEN);
        assertEquals(1, circuits.count(CircuitState.HALF_OPEN));
        assertEquals(0, circuits.count(CircuitState.OPEN));
    }

    @Test
    void retryAfterIsWhatIsLeftOfTheDelaySinceTheBreakerOpened() {
        WebhookCircuits<String> circuits = circuits(10);
        Circuit<String> a = circuits.acquire("a");
        listeners.get(0).accept(CircuitState.OPEN);
        assertEquals(DELAY, a.retryAfter(DELAY, TIMEOUT));
        advance(Duration.ofSeconds(12));
        assertEquals(Duration.ofSeconds(18), a.retryAfter(DELAY, TIMEOUT));
        advance(Duration.ofSeconds(40));
        assertEquals(Duration.ZERO, a.retryAfter(DELAY, TIMEOUT), "late timer: never negative");
    }

    @Test
    void retryAfterWhileHalfOpenIsTheProbesTimeoutAndZeroOnceClosed() {
        assertEquals(TIMEOUT, WebhookCircuits.retryAfter(CircuitState.HALF_OPEN, 0, 5, DELAY, TIMEOUT));
        assertEquals(Duration.ZERO, WebhookCircuits.retryAfter(CircuitState.CLOSED, 0, 5, DELAY, TIMEOUT));
    }

    @Test
    void idleBreakersAreForgottenWhenAnotherAppArrivesAndStartClosedAgain() {
        WebhookCircuits<String> circuits = circuits(10);
        Circuit<String> old = circuits.acquire("old");
        listeners.get(0).accept(CircuitState.HALF_OPEN);
        advance(IDLE.minusSeconds(1));
        circuits.acquire("recent");
        assertEquals(2, circuits.size(), "not idle long enough yet");
        advance(Duration.ofSeconds(2));
        circuits.acquire("new");
        assertEquals(2, circuits.size());
        assertEquals(CircuitState.CLOSED, circuits.state("old"));
        assertNotSame(old, circuits.acquire("old"), "a fresh breaker");
    }

    @Test
    void pastTheBoundTheLeastRecentlyUsedIsForgotten() {
        WebhookCircuits<String> circuits = circuits(3);
        for (String name : new String[]{"a", "b", "c"}) {
            circuits.acquire(name);
            advance(Duration.ofSeconds(1));
        }
        circuits.acquire("a"); // a is now the most recent; b the least
        advance(Duration.ofSeconds(1));
        Circuit<String> d = circuits.acquire("d");
        assertEquals(3, circuits.size());
        assertSame(d, circuits.acquire("d"), "the newcomer is never the one evicted");
        listeners.clear();
        circuits.acquire("b");
        assertEquals(1, listeners.size(), "b had been forgotten, so it got a new guard");
        assertEquals(3, circuits.size());
    }

    @Test
    void usingABreakerKeepsItFromBeingIdle() {
        WebhookCircuits<String> circuits = circuits(10);
        Circuit<String> busy = circuits.acquire("busy");
        for (int i = 0; i < 4; i++) {
            advance(IDLE.dividedBy(2));
            circuits.acquire("busy");
        }
        circuits.acquire("other");
        assertSame(busy, circuits.acquire("busy"));
    }
}
