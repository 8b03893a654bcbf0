package io.appmanager.gateway;

import io.appmanager.fanout.EncodedEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RingReplayLogTest {

    private static final long UNBOUNDED = Long.MAX_VALUE;

    /** An event whose weight is exactly {@code weight} (tail length + the frame prefix allowance). */
    private static EncodedEvent ev(long id, int weight) {
        return new EncodedEvent(id, "t.e", List.of("t"), "x".repeat(weight - EncodedEvent.FRAME_PREFIX_ALLOWANCE));
    }

    private static EncodedEvent ev(long id) {
        return new EncodedEvent(id, "t.e", List.of("t"), "\"type\":\"t.e\",\"data\":{\"i\":" + id + "}}");
    }

    private static List<Long> ids(List<EncodedEvent> events) {
        List<Long> out = new ArrayList<>();
        for (EncodedEvent e : events) {
            out.add(e.id());
        }
        return out;
    }

    @Test
    void emptyLogReportsNextSeqAsFirstRetained() {
        RingReplayLog log = new RingReplayLog(10, UNBOUNDED, 1);
        assertEquals(1, log.firstRetainedSeq());
        assertEquals(0, log.size());
        assertEquals(0, log.bytes());
        assertEquals(List.of(), log.range(1, 100));
    }

    @Test
    void emptyLogStartedLaterReportsThatSeq() {
        RingReplayLog log = new RingReplayLog(10, UNBOUNDED, 42);
        assertEquals(42, log.firstRetainedSeq());
    }

    @Test
    void appendsInOrderAreRetainedAndReturnedInOrder() {
        RingReplayLog log = new RingReplayLog(10, UNBOUNDED, 1);
        for (long s = 1; s <= 3; s++) {
            assertEquals(0, log.append(s, ev(s * 100)));
        }
        assertEquals(1, log.firstRetainedSeq());
        assertEquals(3, log.size());
        assertEquals(List.of(100L, 200L, 300L), ids(log.range(1, 3)));
    }

    @Test
    void rangeReturnsTheSameInstancesThatWereAppended() {
        RingReplayLog log = new RingReplayLog(10, UNBOUNDED, 1);
        EncodedEvent a = ev(1);
        EncodedEvent b = ev(2);
        log.append(1, a);
        log.append(2, b);
        List<EncodedEvent> r = log.range(1, 2);
        assertSame(a, r.get(0));
        assertSame(b, r.get(1));
    }

    @Test
    void appendThatSkipsASeqThrows() {
        RingReplayLog log = new RingReplayLog(10, UNBOUNDED, 1);
        log.append(1, ev(1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> log.append(3, ev(3)));
        assertTrue(e.getMessage().contains("3"), e.getMessage());
    }

    @Test
    void appendThatRepeatsASeqThrows() {
        RingReplayLog log = new RingReplayLog(10, UNBOUNDED, 1);
        log.append(1, ev(1));
        log.append(2, ev(2));
        assertThrows(IllegalStateException.class, () -> log.append(2, ev(2)));
    }

    @Test
    void appendThatGoesBackwardsThrows() {
        RingReplayLog log = new RingReplayLog(10, UNBOUNDED, 1);
        log.append(1, ev(1));
        log.append(2, ev(2));
        assertThrows(IllegalStateException.class, () -> log.append(1, ev(1)));
    }

    @Test
    void refusedAppendLeavesTheLogUnchanged() {
        RingReplayLog log = new RingReplayLog(10, UNBOUNDED, 1);
        log.append(1, ev(1));
        long bytes = log.bytes();
        assertThrows(IllegalStateException.class, () -> log.append(5, ev(5)));
        assertEquals(1, log.size());
        assertEquals(bytes, log.bytes());
        assertEquals(1, log.firstRetainedSeq());
        log.append(2, ev(2));
        assertEquals(List.of(1L, 2L), ids(log.range(1, 2)));
    }

    @Test
    void strictOrderStillHoldsAfterEvictionsWrapTheRing() {
        RingReplayLog log = new RingReplayLog(3, UNBOUNDED, 1);
        for (long s = 1; s <= 10; s++) {
            log.append(s, ev(s));
        }
        assertThrows(IllegalStateException.class, () -> log.append(12, ev(12)));
        assertThrows(IllegalStateException.class, () -> log.append(10, ev(10)));
        assertEquals(0 + 1, log.append(11, ev(11)));
    }

    @Test
    void evictsOldestByCountAndReportsHowMany() {
        RingReplayLog log = new RingReplayLog(3, UNBOUNDED, 1);
        assertEquals(0, log.append(1, ev(1)));
        assertEquals(0, log.append(2, ev(2)));
        assertEquals(0, log.append(3, ev(3)));
        assertEquals(1, log.append(4, ev(4)));
        assertEquals(2, log.firstRetainedSeq());
        assertEquals(3, log.size());
        assertEquals(List.of(2L, 3L, 4L), ids(log.range(1, 4)));
    }

    @Test
    void evictsOldestByBytesAndReportsHowMany() {
        RingReplayLog log = new RingReplayLog(100, 300, 1);
        assertEquals(0, log.append(1, ev(1, 100)));
        assertEquals(0, log.append(2, ev(2, 100)));
        assertEquals(0, log.append(3, ev(3, 100)));
        assertEquals(300, log.bytes());
        // exactly at the bound is allowed; one more byte is not
        assertEquals(1, log.append(4, ev(4, 100)));
        assertEquals(2, log.firstRetainedSeq());
        assertEquals(300, log.bytes());
        assertEquals(List.of(2L, 3L, 4L), ids(log.range(2, 4)));
    }

    @Test
    void aBigEventEvictsAsManyAsItNeeds() {
        RingReplayLog log = new RingReplayLog(100, 300, 1);
        log.append(1, ev(1, 100));
        log.append(2, ev(2, 100));
        log.append(3, ev(3, 100));
        assertEquals(2, log.append(4, ev(4, 200)));
        assertEquals(3, log.firstRetainedSeq());
        assertEquals(2, log.size());
        assertEquals(300, log.bytes());
        assertEquals(List.of(3L, 4L), ids(log.range(1, 4)));
    }

    @Test
    void eventFittingExactlyByBytesEvictsNothing() {
        RingReplayLog log = new RingReplayLog(100, 250, 1);
        log.append(1, ev(1, 100));
        assertEquals(0, log.append(2, ev(2, 150)));
        assertEquals(250, log.bytes());
        assertEquals(1, log.append(3, ev(3, 40)));
        assertEquals(190, log.bytes());
    }

    @Test
    void singleEventBiggerThanMaxBytesIsStillRetained() {
        RingReplayLog log = new RingReplayLog(100, 50, 1);
        assertEquals(0, log.append(1, ev(1, 500)));
        assertEquals(1, log.size());
        assertEquals(500, log.bytes());
        assertEquals(1, log.firstRetainedSeq());
        assertEquals(List.of(1L), ids(log.range(1, 1)));
    }

    @Test
    void eventBiggerThanMaxBytesEvictsEverythingElseButStays() {
        RingReplayLog log = new RingReplayLog(100, 200, 1);
        log.append(1, ev(1, 100));
        log.append(2, ev(2, 100));
        assertEquals(2, log.append(3, ev(3, 1000)));
        assertEquals(3, log.firstRetainedSeq());
        assertEquals(List.of(3L), ids(log.range(1, 3)));
        // and the next event pushes the oversized one out
        assertEquals(1, log.append(4, ev(4, 100)));
        assertEquals(List.of(4L), ids(log.range(1, 4)));
        assertEquals(100, log.bytes());
    }

    @Test
    void maxEventsOneKeepsOnlyTheNewest() {
        RingReplayLog log = new RingReplayLog(1, UNBOUNDED, 1);
        assertEquals(0, log.append(1, ev(1)));
        assertEquals(1, log.append(2, ev(2)));
        assertEquals(1, log.append(3, ev(3)));
        assertEquals(3, log.firstRetainedSeq());
        assertEquals(List.of(3L), ids(log.range(1, 3)));
    }

    @Test
    void maxEventsZeroStillKeepsTheLatestEvent() {
        RingReplayLog log = new RingReplayLog(0, UNBOUNDED, 1);
        assertEquals(0, log.append(1, ev(1)));
        assertEquals(1, log.append(2, ev(2)));
        assertEquals(List.of(2L), ids(log.range(1, 2)));
    }

    @Test
    void growsPastInitialCapacityKeepingOrder() {
        RingReplayLog log = new RingReplayLog(1000, UNBOUNDED, 1);
        for (long s = 1; s <= 50; s++) {
            assertEquals(0, log.append(s, ev(s)));
        }
        assertEquals(50, log.size());
        assertEquals(1, log.firstRetainedSeq());
        List<Long> expected = new ArrayList<>();
        for (long s = 1; s <= 50; s++) {
            expected.add(s);
        }
        assertEquals(expected, ids(log.range(1, 50)));
    }

    @Test
    void growsWhileWrappedKeepingOrder() {
        // count bound 6 over an initial ring of 4; bytes bound forces evictions that move head first
        RingReplayLog log = new RingReplayLog(6, 3 * 40, 1);
        for (long s = 1; s <= 3; s++) {
            log.append(s, ev(s, 40));
        }
        log.append(4, ev(4, 40)); // evicts 1, head moves to 1
        log.append(5, ev(5, 40)); // evicts 2
        // now allow more by appending small events: weight 40 each, bound 120 -> stays 3
        assertEquals(List.of(3L, 4L, 5L), ids(log.range(1, 5)));
        RingReplayLog big = new RingReplayLog(6, UNBOUNDED, 1);
        for (long s = 1; s <= 6; s++) {
            big.append(s, ev(s));
        }
        for (long s = 7; s <= 20; s++) {
            assertEquals(1, big.append(s, ev(s)));
        }
        assertEquals(6, big.size());
        assertEquals(15, big.firstRetainedSeq());
        assertEquals(List.of(15L, 16L, 17L, 18L, 19L, 20L), ids(big.range(15, 20)));
    }

    @Test
    void growsAfterTheHeadHasMoved() {
        // ring starts at 4 slots; evict by bytes so head moves, then let it grow with small events
        RingReplayLog log = new RingReplayLog(100, 1104, 1);
        log.append(1, ev(1, 600));
        log.append(2, ev(2, 300));
        assertEquals(1, log.append(3, ev(3, 600))); // evicts 1 (600+300+600 > 1104): head moves
        assertEquals(2, log.firstRetainedSeq());
        for (long s = 4; s <= 9; s++) {
            assertEquals(0, log.append(s, ev(s, 34))); // 900 + 6 * 34 = 1104 fits; ring wraps, then grows
        }
        assertEquals(1104, log.bytes());
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), ids(log.range(2, 9)));
    }

    @Test
    void countBoundNotAPowerOfTwoIsHonoured() {
        RingReplayLog log = new RingReplayLog(5, UNBOUNDED, 1);
        int evicted = 0;
        for (long s = 1; s <= 12; s++) {
            evicted += log.append(s, ev(s));
        }
        assertEquals(7, evicted);
        assertEquals(5, log.size());
        assertEquals(List.of(8L, 9L, 10L, 11L, 12L), ids(log.range(8, 12)));
    }

    @Test
    void bytesTrackEveryAppendAndEviction() {
        RingReplayLog log = new RingReplayLog(2, UNBOUNDED, 1);
        log.append(1, ev(1, 40));
        log.append(2, ev(2, 50));
        assertEquals(90, log.bytes());
        log.append(3, ev(3, 60));
        assertEquals(110, log.bytes());
    }

    @Test
    void rangeIsClippedToWhatIsRetained() {
        RingReplayLog log = new RingReplayLog(3, UNBOUNDED, 1);
        for (long s = 1; s <= 6; s++) {
            log.append(s, ev(s));
        }
        assertEquals(List.of(4L, 5L, 6L), ids(log.range(1, 100)));
        assertEquals(List.of(5L), ids(log.range(5, 5)));
        assertEquals(List.of(5L, 6L), ids(log.range(5, 6)));
        assertEquals(List.of(4L, 5L), ids(log.range(0, 5)));
    }

    @Test
    void emptyOrInvertedRangeIsEmpty() {
        RingReplayLog log = new RingReplayLog(3, UNBOUNDED, 1);
        log.append(1, ev(1));
        log.append(2, ev(2));
        assertEquals(List.of(), log.range(3, 2));
        assertEquals(List.of(), log.range(2, 1));
        assertEquals(List.of(), log.range(3, 10));
    }

    @Test
    void rangeEntirelyBeforeRetainedIsEmpty() {
        RingReplayLog log = new RingReplayLog(2, UNBOUNDED, 1);
        for (long s = 1; s <= 5; s++) {
            log.append(s, ev(s));
        }
        assertEquals(List.of(), log.range(1, 3));
    }

    @Test
    void rangeWithASpanWiderThanTheLogReturnsOnlyRetainedEvents() {
        RingReplayLog log = new RingReplayLog(3, UNBOUNDED, 1);
        log.append(1, ev(1));
        log.append(2, ev(2));
        assertEquals(List.of(1L, 2L), ids(log.range(-1_000, 1_000_000)));
    }

    @Test
    void rangeWithAWideSpanReturnsOnlyRetainedEvents() {
        // ReplayLog's contract is "retained events in [from, to]"; the span asked for may be wide
        RingReplayLog log = new RingReplayLog(3, UNBOUNDED, 1);
        log.append(1, ev(1));
        log.append(2, ev(2));
        assertEquals(List.of(1L, 2L), ids(log.range(1, Long.MAX_VALUE)));
        assertEquals(List.of(1L, 2L), ids(log.range(0, 1L << 31)));
    }

    @Test
    void firstAppendToAnEmptyLogMayStartAtItsNextSeq() {
        RingReplayLog log = new RingReplayLog(3, UNBOUNDED, 7);
        assertEquals(0, log.append(7, ev(7)));
        assertEquals(7, log.firstRetainedSeq());
        assertEquals(List.of(7L), ids(log.range(7, 7)));
        assertThrows(IllegalStateException.class, () -> log.append(9, ev(9)));
    }

    @Test
    void firstAppendToAnEmptyLogThatSkipsItsNextSeqThrows() {
        RingReplayLog log = new RingReplayLog(3, UNBOUNDED, 2);
        assertThrows(IllegalStateException.class, () -> log.append(9, ev(9)));
        assertEquals(2, log.firstRetainedSeq());
    }
}
