package io.appmanager.fanout;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishRateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFullBurstIsAllowedAtOnce() {
        PublishRateLimiter r = new PublishRateLimiter(1, 5);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, r.acquire("p", 0), "publish " + i);
        }
    }

    @Test
    void oneMoreThanTheBurstIsRefusedWithAPositiveWait() {
        PublishRateLimiter r = new PublishRateLimiter(10, 3);
        for (int i = 0; i < 3; i++) {
            r.acquire("p", 0);
        }
        long wait = r.acquire("p", 0);
        assertTrue(wait > 0, "wait " + wait);
        // one token at 10/s takes 100 ms
        assertTrue(Math.abs(wait - SECOND / 10) <= 1, "wait " + wait);
    }

    @Test
    void refusalDoesNotConsumeATokenNorGrowTheWait() {
        PublishRateLimiter r = new PublishRateLimiter(1, 1);
        r.acquire("p", 0);
        long w1 = r.acquire("p", 0);
        long w2 = r.acquire("p", 0);
        assertEquals(w1, w2);
        assertTrue(Math.abs(w1 - SECOND) <= 1, "wait " + w1);
    }

    @Test
    void waitShrinksAsTimePasses() {
        PublishRateLimiter r = new PublishRateLimiter(1, 1);
        r.acquire("p", 0);
        long w = r.acquire("p", SECOND / 4);
        assertTrue(Math.abs(w - 3 * SECOND / 4) <= 1, "wait " + w);
    }

    @Test
    void tokensRefillAtTheConfiguredRate() {
        PublishRateLimiter r = new PublishRateLimiter(2, 2);
        assertEquals(0, r.acquire("p", 0));
        assertEquals(0, r.acquire("p", 0));
        assertTrue(r.acquire("p", 0) > 0);
        assertTrue(r.acquire("p", SECOND / 2 - 1_000) > 0);
        assertEquals(0, r.acquire("p", SECOND / 2));
        assertTrue(r.acquire("p", SECOND / 2) > 0);
    }

    @Test
    void waitingTheAnsweredTimeIsEnough() {
        for (double rate : new double[]{1, 2, 3, 7, 10, 100, 0.5, 1.0 / 3}) {
            PublishRateLimiter r = new PublishRateLimiter(rate, 1);
            long now = 12_345;
            assertEquals(0, r.acquire("p", now));
            long wait = r.acquire("p", now);
            assertTrue(wait > 0);
            assertEquals(0, r.acquire("p", now + wait), "rate " + rate + " wait " + wait);
        }
    }

    @Test
    void refillIsCappedAtTheBurst() {
        PublishRateLimiter r = new PublishRateLimiter(100, 3);
        r.acquire("p", 0);
        long later = 3_600 * SECOND; // an hour idle would be 360000 tokens uncapped
        for (int i = 0; i < 3; i++) {
            assertEquals(0, r.acquire("p", later), "publish " + i);
        }
        assertTrue(r.acquire("p", later) > 0);
    }

    @Test
    void separatePublishersHaveSeparateBuckets() {
        PublishRateLimiter r = new PublishRateLimiter(1, 2);
        assertEquals(0, r.acquire("alice", 0));
        assertEquals(0, r.acquire("alice", 0));
        assertTrue(r.acquire("alice", 0) > 0);
        assertEquals(0, r.acquire("bob", 0));
        assertEquals(0, r.acquire("bob", 0));
        assertTrue(r.acquire("bob", 0) > 0);
        assertTrue(r.acquire("alice", 0) > 0);
    }

    @Test
    void newPublisherStartsWithAFullBurstWhateverTheClock() {
        PublishRateLimiter r = new PublishRateLimiter(1, 2);
        long now = -5 * SECOND; // System.nanoTime may be negative
        assertEquals(0, r.acquire("p", now));
        assertEquals(0, r.acquire("p", now));
        assertTrue(r.acquire("p", now) > 0);
        assertEquals(0, r.acquire("p", now + SECOND));
    }

    @Test
    void fractionalRatesRefillFractionally() {
        PublishRateLimiter r = new PublishRateLimiter(0.5, 1); // one every two seconds
        assertEquals(0, r.acquire("p", 0));
        long w = r.acquire("p", 0);
        assertTrue(Math.abs(w - 2 * SECOND) <= 1, "wait " + w);
        assertTrue(r.acquire("p", SECOND) > 0);
        assertEquals(0, r.acquire("p", 2 * SECOND));
    }
}
