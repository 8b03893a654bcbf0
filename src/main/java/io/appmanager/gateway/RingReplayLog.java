package io.appmanager.gateway;

import io.appmanager.fanout.EncodedEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * In-process {@link ReplayLog}: a growable ring of references to shared events. An idle session
 * costs a 4-slot array; a busy one at most {@code maxEvents} references.
 */
final class RingReplayLog implements ReplayLog {

    /** Small start: most sessions are idle most of the time (idle footprint is a benchmark target). */
    private static final int INITIAL_CAPACITY = 4;

    private final int maxEvents;
    private final long maxBytes;
    private EncodedEvent[] ring = new EncodedEvent[INITIAL_CAPACITY];
    private int head;
    private int size;
    private long bytes;
    private long firstSeq;

    RingReplayLog(int maxEvents, long maxBytes, long nextSeq) {
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.firstSeq = nextSeq;
    }

    @Override
    public int append(long seq, EncodedEvent event) {
        if (seq != firstSeq + size) {
            throw new IllegalStateException("seq " + seq + " does not follow " + (firstSeq + size - 1));
        }
        int evicted = 0;
        while (size > 0 && (size >= maxEvents || bytes + event.weight() > maxBytes)) {
            evictOldest();
            evicted++;
        }
        if (size == ring.length) {
            grow();
        }
        ring[(head + size) % ring.length] = event;
        size++;
        bytes += event.weight();
        return evicted;
    }

    @Override
    public long firstRetainedSeq() {
        return firstSeq;
    }

    @Override
    public List<EncodedEvent> range(long from, long to) {
        long start = Math.max(from, firstSeq);
        long end = Math.min(to, firstSeq + size - 1);
        List<EncodedEvent> out = new ArrayList<>((int) Math.max(0, end - start + 1));
        for (long s = start; s <= end; s++) {
            out.add(ring[(int) ((head + (s - firstSeq)) % ring.length)]);
        }
        return out;
    }

    int size() {
        return size;
    }

    long bytes() {
        return bytes;
    }

    private void evictOldest() {
        bytes -= ring[head].weight();
        ring[head] = null;
        head = (head + 1) % ring.length;
        size--;
        firstSeq++;
    }

    private void grow() {
        EncodedEvent[] bigger = new EncodedEvent[Math.min(Math.max(ring.length * 2, 1), Math.max(maxEvents, 1))];
        if (bigger.length <= ring.length) {
            bigger = new EncodedEvent[ring.length + 1];
        }
        for (int i = 0; i < size; i++) {
            bigger[i] = ring[(head + i) % ring.length];
        }
        ring = bigger;
        head = 0;
    }
}
