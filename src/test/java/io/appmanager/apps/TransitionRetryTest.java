package io.appmanager.apps;

import io.appmanager.platform.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retry around outside-event transition writes, on a Uni that fails as often as a test says. */
class TransitionRetryTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TransitionRetry retry = new TransitionRetry(Duration.ofMillis(5), Duration.ofMillis(40),
            Duration.ofMillis(500), registry);
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger applied = new AtomicInteger();

    /** A write that fails its first {@code failures} attempts the way an unreachable database does. */
    private Uni<String> write(int failures, RuntimeException failure) {
        return Uni.createFrom().item(() -> {
            if (attempts.incrementAndGet() <= failures) {
                throw failure;
            }
            applied.incrementAndGet();
            return "applied";
        });
    }

    @Test
    void aWriteThatFailsAFewTimesThenSucceedsIsAppliedOnce() {
        String result = retry.write("SocketClosed", "s1", () -> write(3, new IllegalStateException("connection refused")))
                .await().atMost(Duration.ofSeconds(5));
        assertEquals("applied", result);
        assertEquals(4, attempts.get());
        assertEquals(1, applied.get());
        assertNull(registry.find("appmanager.app.transitions.failed").counter(), "nothing given up");
    }

    @Test
    void aWriteThatKeepsFailingIsGivenUpSurfacedAndCountedByEvent() {
        long started = System.nanoTime();
        RuntimeException err = assertThrows(RuntimeException.class, () -> retry.write("SocketClosed", "s2",
                () -> write(Integer.MAX_VALUE, new IllegalStateException("connection refused"))).await().atMost(Duration.ofSeconds(10)));
        long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertTrue(err.getMessage().contains("connection refused"), err.toString());
        assertTrue(attempts.get() > 3, "retried: " + attempts.get());
        assertTrue(tookMs >= 400, "for about give-up-after: " + tookMs + " ms");
        assertEquals(0, applied.get());
        Counter failed = registry.get("appmanager.app.transitions.failed").tag("event", "SocketClosed").counter();
        assertEquals(1, failed.count());
    }

    @Test
    void anAnswerOfOursIsNotRetriedNorCounted() {
        assertThrows(ApiException.class, () -> retry.write("StopRequested", "s3",
                () -> write(Integer.MAX_VALUE, new ApiException(404, "not_found", "gone", null))).await().atMost(Duration.ofSeconds(5)));
        assertEquals(1, attempts.get());
        assertNull(registry.find("appmanager.app.transitions.failed").counter());
    }
}
