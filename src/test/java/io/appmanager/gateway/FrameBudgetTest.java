package io.appmanager.gateway;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameBudgetTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void exactlyTheAllowanceIsAllowedWithinOneWindow() {
        FrameBudget b = new FrameBudget(3, 60 * SECOND, 0);
        assertTrue(b.spend(0));
        assertTrue(b.spend(1));
        assertTrue(b.spend(2));
    }

    @Test
    void oneFrameOverTheAllowanceIsRefused() {
        FrameBudget b = new FrameBudget(3, 60 * SECOND, 0);
        for (int i = 0; i < 3; i++) {
            assertTrue(b.spend(i));
        }
        assertFalse(b.spend(3));
    }

    @Test
    void framesStayRefusedForTheRestOfTheWindow() {
        FrameBudget b = new FrameBudget(2, 60 * SECOND, 0);
        b.spend(0);
        b.spend(0);
        for (int i = 0; i < 100; i++) {
            assertFalse(b.spend(59 * SECOND));
        }
        assertFalse(b.spend(60 * SECOND - 1));
    }

    @Test
    void windowResetsExactlyWhenItsLengthHasPassed() {
        FrameBudget b = new FrameBudget(2, 60 * SECOND, 0);
        b.spend(0);
        b.spend(0);
        assertFalse(b.spend(60 * SECOND - 1));
        assertTrue(b.spend(60 * SECOND));
        assertTrue(b.spend(60 * SECOND));
        assertFalse(b.spend(60 * SECOND));
    }

    @Test
    void newWindowStartsAtTheFirstFrameAfterTheOldOneEnded() {
        FrameBudget b = new FrameBudget(1, 10 * SECOND, 0);
        assertTrue(b.spend(0));
        assertTrue(b.spend(25 * SECOND)); // window now starts at 25s
        assertFalse(b.spend(34 * SECOND));
        assertTrue(b.spend(35 * SECOND));
    }

    @Test
    void windowIsCountedFromConstructionTime() {
        long start = 5_000 * SECOND;
        FrameBudget b = new FrameBudget(1, 10 * SECOND, start);
        assertTrue(b.spend(start + 9 * SECOND));
        assertFalse(b.spend(start + 10 * SECOND - 1));
        assertTrue(b.spend(start + 10 * SECOND));
    }

    @Test
    void worksWithNegativeNanoTimeOrigins() {
        long start = Long.MIN_VALUE + 5;
        FrameBudget b = new FrameBudget(1, 10, start);
        assertTrue(b.spend(start + 1));
        assertFalse(b.spend(start + 9));
        assertTrue(b.spend(start + 10));
    }

    @Test
    void zeroAllowanceRefusesEverything() {
        FrameBudget b = new FrameBudget(0, 10 * SECOND, 0);
        assertFalse(b.spend(0));
        assertFalse(b.spend(20 * SECOND));
    }
}
