package io.appmanager.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboundQueueTest {

    @Test
    void refusesBeyondCapacityAndKeepsEarlierFrames() {
        OutboundQueue queue = new OutboundQueue(2);
        assertTrue(queue.offer("a"));
        assertTrue(queue.offer("b"));
        assertFalse(queue.offer("c"));
        assertEquals(2, queue.size());

        List<String> drained = new ArrayList<>();
        queue.drainTo(drained::add);
        assertEquals(List.of("a", "b"), drained);
        assertEquals(0, queue.size());
        assertTrue(queue.offer("d"), "draining frees the capacity again");
    }

    @Test
    void defaultCapacityOfTwentyIsEnforced() {
        OutboundQueue queue = new OutboundQueue(AccordClient.DEFAULT_OUTBOUND_QUEUE_CAPACITY);
        for (int i = 0; i < 20; i++) {
            assertTrue(queue.offer("frame-" + i), "frame " + i);
        }
        assertFalse(queue.offer("frame-20"));
        List<String> drained = new ArrayList<>();
        queue.drainTo(drained::add);
        assertEquals("frame-0", drained.get(0));
        assertEquals("frame-19", drained.get(19));
    }

    @Test
    void zeroCapacityQueuesNothing() {
        assertFalse(new OutboundQueue(0).offer("a"));
    }

    @Test
    void negativeCapacityIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new OutboundQueue(-1));
    }
}
