package io.appmanager.fanout;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdempotencyCacheTest {

    private static final long WINDOW = 1_000;

    /** Starts a new pending outcome each call and counts the calls. */
    private static final class Starts implements Supplier<CompletableFuture<String>> {
        final AtomicInteger calls = new AtomicInteger();
        CompletableFuture<String> last;

        @Override
        public CompletableFuture<String> get() {
            calls.incrementAndGet();
            last = new CompletableFuture<>();
            return last;
        }
    }

    @Test
    void firstLookupStartsTheActionAndIsNotARepeat() {
        IdempotencyCache<String> c = new IdempotencyCache<>(WINDOW, 10);
        Starts s = new Starts();
        IdempotencyCache.Lookup<String> l = c.getOrStart("k", 0, s);
        assertFalse(l.repeated());
        assertSame(s.last, l.outcome());
        assertEquals(1, s.calls.get());
        assertEquals(1, c.size());
    }

    @Test
    void repeatWhileInFlightReturnsTheSameFutureAndStartsNothing() {
        IdempotencyCache<String> c = new IdempotencyCache<>(WINDOW, 10);
        Starts s = new Starts();
        CompletableFuture<String> first = c.getOrStart("k", 0, s).outcome();
        IdempotencyCache.Lookup<String> again = c.getOrStart("k", 10, s);
        assertTrue(again.repeated());
        assertSame(first, again.outcome());
        assertEquals(1, s.calls.get());
    }

    @Test
    void repeatAfterSuccessReturnsTheSameOutcome() {
        IdempotencyCache<String> c = new IdempotencyCache<>(WINDOW, 10);
        Starts s = new Starts();
        CompletableFuture<String> first = c.getOrStart("k", 0, s).outcome();
        first.complete("published-1");
        IdempotencyCache.Lookup<String> again = c.getOrStart("k", WINDOW - 1, s);
        assertTrue(again.repeated());
        assertSame(first, again.outcome());
        assertEquals("published-1", again.outcome().join());
        assertEquals(1, s.calls.get());
    }

    @Test
    void differentKeysAreIndependent() {
        IdempotencyCache<String> c = new IdempotencyCache<>(WINDOW, 10);
        Starts s = new Starts();
        CompletableFuture<String> a = c.getOrStart("a", 0, s).outcome();
        IdempotencyCache.Lookup<String> b = c.getOrStart("b", 0, s);
        assertFalse(b.repeated());
        assertNotSame(a, b.outcome());
        assertEquals(2, s.calls.get());
    }

    @Test
    void keyExpiresExactlyAtTheEndOfTheWindow() {
        IdempotencyCache<String> c = new IdempotencyCache<>(WINDOW, 10);
        Starts s = new Starts();
        CompletableFuture<String> first = c.getOrStart("k", 100, s).outcome();
        first.complete("v");
        assertTrue(c.getOrStart("k", 100 + WINDOW - 1, s).repeated());
        IdempotencyCache.Lookup<String> after = c.getOrStart("k", 100 + WINDOW, s);
        assertFalse(after.repeated());
        assertNotSame(first, after.outcome());
        assertEquals(2, s.calls.get());
    }

    @Test
    void repeatsDoNotExtendTheWindow() {
        IdempotencyCache<String> c = new IdempotencyCache<>(WINDOW, 10);
        Starts s = new Starts();
        c.getOrStart("k", 0, s);
        assertTrue(c.getOrStart("k", 900, s).repeated());
        assertFalse(c.getOrStart("k", 1000, s).repeated());
    }

    @Test
    void expiredKeysAreDroppedOnTheNextLookupOfAnyKey() {
        IdempotencyCache<String> c = new IdempotencyCache<>(WINDOW, 10);
        Starts s = new Starts();
        c.getOrStart("a", 0, s);
        c.getOrStart("b", 500, s);
        assertEquals(2, c.size());
        c.getOrStart("c", 1200, s); // a expired, b not
        assertEquals(2, c.size());
        assertTrue(c.getOrStart("b", 1200, s).repeated());
        assertFalse(c.getOrStart("a", 1200, s).repeated());
    }

    @Test
    void failedOutcomeIsForgottenSoARetryStartsAnew() {
        IdempotencyCache<String> c = new IdempotencyCache<>(WINDOW, 10);
        Starts s = new Starts();
        CompletableFuture<String> first = c.getOrStart("k", 0, s).outcome();
        first.completeExceptionally(new RuntimeException("broker down"));
        assertEquals(0, c.size());
        IdempotencyCache.Lookup<String> retry = c.getOrStart("k", 10, s);
        assertFalse(retry.repeated());
        assertNotSame(first, retry.outcome());
        assertEquals(2, s.calls.get());
    }

    @Test
    void repeatWhileInFlightSharesTheFailureButTheNextRetryStartsAnew() {
        IdempotencyCache<String> c = new IdempotencyCache<>(WINDOW, 10);
        Starts s = new Starts();
        CompletableFuture<String> first = c.getOrStart("k", 0, s).outcome();
        IdempotencyCache.Lookup<String> repeat = c.getOrStart("k", 1, s);
        assertSame(first, repeat.outcome());
        first.completeExceptionally(new IllegalStateException("x"));
        assertTrue(repeat.outcome().isCompletedExceptionally());
        assertFalse(c.getOrStart("k", 2, s).repeated());
    }

    @Test
    void actionThatFailsImmediatelyIsNotRemembered() {
        IdempotencyCache<String> c = new IdempotencyCache<>(WINDOW, 10);
        AtomicInteger calls = new AtomicInteger();
        Supplier<CompletableFuture<String>> failing = () -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new RuntimeException("no"));
        };
        assertFalse(c.getOrStart("k", 0, failing).repeated());
        assertEquals(0, c.size());
        assertFalse(c.getOrStart("k", 1, failing).repeated());
        assertEquals(2, calls.get());
    }

    @Test
    void lateFailureOfAnOldOutcomeDoesNotForgetTheNewOne() {
        IdempotencyCache<String> c = new IdempotencyCache<>(WINDOW, 10);
        Starts s = new Starts();
        CompletableFuture<String> old = c.getOrStart("k", 0, s).outcome();
        // old entry expires and the key is started again
        CompletableFuture<String> fresh = c.getOrStart("k", WINDOW, s).outcome();
        assertNotSame(old, fresh);
        old.completeExceptionally(new RuntimeException("late"));
        IdempotencyCache.Lookup<String> again = c.getOrStart("k", WINDOW + 1, s);
        assertTrue(again.repeated());
        assertSame(fresh, again.outcome());
    }

    @Test
    void insertingPastMaxKeysForgetsTheOldestKey() {
        IdempotencyCache<String> c = new IdempotencyCache<>(WINDOW, 3);
        Starts s = new Starts();
        c.getOrStart("a", 0, s);
        c.getOrStart("b", 1, s);
        c.getOrStart("c", 2, s);
        assertEquals(3, c.size());
        c.getOrStart("d", 3, s);
        assertEquals(3, c.size());
        assertEquals(4, s.calls.get());
        IdempotencyCache.Lookup<String> a = c.getOrStart("a", 4, s);
        assertFalse(a.repeated());
        assertEquals(5, s.calls.get());
        assertEquals(3, c.size());
    }

    @Test
    void newestKeyIsStillRememberedAtCapacity() {
        IdempotencyCache<String> c = new IdempotencyCache<>(WINDOW, 3);
        Starts s = new Starts();
        c.getOrStart("a", 0, s);
        c.getOrStart("b", 1, s);
        CompletableFuture<String> newest = c.getOrStart("c", 2, s).outcome();
        IdempotencyCache.Lookup<String> again = c.getOrStart("c", 3, s);
        assertTrue(again.repeated());
        assertSame(newest, again.outcome());
    }

    @Test
    void sizeNeverExceedsMaxKeys() {
        IdempotencyCache<String> c = new IdempotencyCache<>(Long.MAX_VALUE, 5);
        Starts s = new Starts();
        for (int i = 0; i < 100; i++) {
            c.getOrStart("k" + i, i, s);
            assertTrue(c.size() <= 5);
        }
        assertEquals(5, c.size());
        assertEquals(100, s.calls.get());
    }

    // The three tests below show one bug: expire() enforces the key bound (evicting down to maxKeys - 1)
    // before the lookup, even when the key asked for is already remembered and nothing will be added.

    @Test
    void repeatOfTheOldestKeyAtCapacityIsStillARepeat() {
        IdempotencyCache<String> c = new IdempotencyCache<>(WINDOW, 3);
        Starts s = new Starts();
        CompletableFuture<String> a = c.getOrStart("a", 0, s).outcome();
        c.getOrStart("b", 1, s);
        c.getOrStart("c", 2, s);
        IdempotencyCache.Lookup<String> again = c.getOrStart("a", 3, s);
        assertTrue(again.repeated());
        assertSame(a, again.outcome());
        assertEquals(3, s.calls.get());
    }

    @Test
    void repeatingAKnownKeyAtCapacityForgetsNoOtherKey() {
        IdempotencyCache<String> c = new IdempotencyCache<>(Long.MAX_VALUE, 5);
        Starts s = new Starts();
        for (int i = 0; i < 100; i++) {
            c.getOrStart("k" + i, i, s);
        }
        assertTrue(c.getOrStart("k99", 100, s).repeated());
        for (int i = 95; i < 100; i++) {
            assertTrue(c.getOrStart("k" + i, 100, s).repeated(), "k" + i);
        }
        assertEquals(100, s.calls.get());
    }

    @Test
    void maxKeysOfOneRemembersTheLatestKey() {
        IdempotencyCache<String> c = new IdempotencyCache<>(WINDOW, 1);
        Starts s = new Starts();
        c.getOrStart("a", 0, s);
        assertTrue(c.getOrStart("a", 1, s).repeated());
        c.getOrStart("b", 2, s);
        assertEquals(1, c.size());
        assertTrue(c.getOrStart("b", 3, s).repeated());
        assertFalse(c.getOrStart("a", 3, s).repeated());
    }
}
