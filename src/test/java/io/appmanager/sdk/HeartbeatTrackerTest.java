package io.appmanager.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.appmanager.sdk.HeartbeatTracker.BeatAction;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HeartbeatTrackerTest {

    @Test
    void unacknowledgedBeatTimesOutAtTheNextBeat() {
        HeartbeatTracker tracker = new HeartbeatTracker();
        assertEquals(BeatAction.SEND, tracker.beatDue());
        tracker.ackReceived();
        assertEquals(BeatAction.SEND, tracker.beatDue());
        assertEquals(BeatAction.TIMEOUT, tracker.beatDue());
    }

    @Test
    void resetForgetsTheOutstandingBeat() {
        HeartbeatTracker tracker = new HeartbeatTracker();
        tracker.beatDue();
        tracker.reset();
        assertEquals(BeatAction.SEND, tracker.beatDue());
    }

    @Test
    void firstBeatIsARandomFractionOfTheInterval() {
        assertEquals(Duration.ZERO, HeartbeatTracker.firstBeatDelay(45_000, 0.0));
        assertEquals(Duration.ofMillis(11_250), HeartbeatTracker.firstBeatDelay(45_000, 0.25));
        assertEquals(Duration.ofMillis(45_000), HeartbeatTracker.firstBeatDelay(45_000, 1.0));
    }
}
