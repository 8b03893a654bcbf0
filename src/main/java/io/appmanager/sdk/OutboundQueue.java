package io.appmanager.sdk;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Bounded FIFO of encoded frames the user sent while the client was not READY.
 * Confined to the client's executor thread.
 */
final class OutboundQueue {
    private final int capacity;
    private final ArrayDeque<String> frames = new ArrayDeque<>();

    /** @param capacity maximum number of frames held; 0 disables queueing */
    OutboundQueue(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative, was " + capacity);
        }
        this.capacity = capacity;
    }

    /** Appends a frame; false (and the frame is dropped) when the queue is full. */
    boolean offer(String frame) {
        if (frames.size() >= capacity) {
            return false;
        }
        frames.addLast(frame);
        return true;
    }

    /** Hands every queued frame, oldest first, to {@code sink} and empties the queue. */
    void drainTo(Consumer<String> sink) {
        while (!frames.isEmpty()) {
            sink.accept(frames.pollFirst());
        }
    }

    int size() {
        return frames.size();
    }
}
