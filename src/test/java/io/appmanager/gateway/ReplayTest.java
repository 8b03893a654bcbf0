package io.appmanager.gateway;

import io.appmanager.gateway.Replay.Plan;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReplayTest {

    @Test
    void clientBehindWithEverythingRetainedGetsTheRangeAfterItsSeq() {
        Plan plan = Replay.missedSince(5, 10, 1);
        assertEquals(new Plan.Range(6, 10), plan);
        assertEquals(5, ((Plan.Range) plan).count());
    }

    @Test
    void clientThatSawEverythingGetsAnEmptyRange() {
        Plan plan = Replay.missedSince(10, 10, 3);
        assertEquals(new Plan.Range(11, 10), plan);
        assertEquals(0, ((Plan.Range) plan).count());
    }

    @Test
    void clientThatSawEverythingGetsAnEmptyRangeEvenWhenTheLogIsEmpty() {
        // empty log: firstRetained == lastSeq + 1
        Plan plan = Replay.missedSince(10, 10, 11);
        assertEquals(new Plan.Range(11, 10), plan);
        assertEquals(0, ((Plan.Range) plan).count());
    }

    @Test
    void seqZeroOnAFreshSessionIsAnEmptyRange() {
        Plan plan = Replay.missedSince(0, 0, 1);
        assertEquals(new Plan.Range(1, 0), plan);
        assertEquals(0, ((Plan.Range) plan).count());
    }

    @Test
    void seqZeroWithEventsFromOneRetainedReplaysThemAll() {
        Plan plan = Replay.missedSince(0, 3, 1);
        assertEquals(new Plan.Range(1, 3), plan);
        assertEquals(3, ((Plan.Range) plan).count());
    }

    @Test
    void seqAheadOfTheServerIsRefusedAsSeqAhead() {
        assertEquals(new Plan.SeqAhead(11, 10), Replay.missedSince(11, 10, 1));
    }

    @Test
    void anyNonZeroSeqOnAFreshSessionIsAhead() {
        assertEquals(new Plan.SeqAhead(1, 0), Replay.missedSince(1, 0, 1));
    }

    @Test
    void seqAheadWinsOverGap() {
        // both "ahead" and below firstRetained cannot both hold honestly, but ahead is checked first
        assertEquals(new Plan.SeqAhead(100, 50), Replay.missedSince(100, 50, 200));
    }

    @Test
    void gapTheLogNoLongerCoversIsRefused() {
        assertEquals(new Plan.Gap(3, 8), Replay.missedSince(3, 10, 8));
    }

    @Test
    void seqZeroAfterEvictionIsAGap() {
        assertEquals(new Plan.Gap(0, 2), Replay.missedSince(0, 10, 2));
    }

    @Test
    void seqJustBeforeFirstRetainedIsNotAGap() {
        // client saw 7, log holds 8..10: nothing missing from the log
        assertEquals(new Plan.Range(8, 10), Replay.missedSince(7, 10, 8));
    }

    @Test
    void seqTwoBeforeFirstRetainedIsAGap() {
        // client saw 6, needs 7, log starts at 8
        assertEquals(new Plan.Gap(6, 8), Replay.missedSince(6, 10, 8));
    }

    @Test
    void seqEqualToFirstRetainedReplaysTheRest() {
        assertEquals(new Plan.Range(9, 10), Replay.missedSince(8, 10, 8));
    }

    @Test
    void everythingEvictedButClientUpToDateIsAnEmptyRange() {
        assertEquals(new Plan.Range(11, 10), Replay.missedSince(10, 10, 11));
    }

    @Test
    void everythingEvictedAndClientOneBehindIsAGap() {
        assertEquals(new Plan.Gap(9, 11), Replay.missedSince(9, 10, 11));
    }

    @Test
    void rangeCountIsNeverNegative() {
        assertEquals(0, new Plan.Range(20, 10).count());
        assertEquals(1, new Plan.Range(10, 10).count());
    }

    @Test
    void largeSeqsDoNotOverflowTheDecision() {
        long last = Long.MAX_VALUE - 1;
        assertEquals(new Plan.Range(last, last), Replay.missedSince(last - 1, last, last));
        assertEquals(new Plan.SeqAhead(Long.MAX_VALUE, last), Replay.missedSince(Long.MAX_VALUE, last, 1));
    }

    // With the gateway's numbers: READY is seq 1 and is not logged, so a fresh log starts at 2.

    @Test
    void clientThatSawReadyOnAQuietSessionGetsAnEmptyRange() {
        assertEquals(new Plan.Range(2, 1), Replay.missedSince(1, 1, 2));
    }

    @Test
    void clientThatSawReadyGetsEveryEventSince() {
        assertEquals(new Plan.Range(2, 5), Replay.missedSince(1, 5, 2));
    }

    @Test
    void seqZeroAfterAReadyAtSeqOneIsAGapBecauseReadyIsNotReplayed() {
        assertEquals(new Plan.Gap(0, 2), Replay.missedSince(0, 1, 2));
    }
}
