package io.appmanager.gateway;

/**
 * Inbound frame allowance of one connection: a fixed window, as accordserver counts it.
 * Not thread-safe: only the connection's event loop touches it.
 */
final class FrameBudget {
    private final int frames;
    private final long windowNanos;
    private long windowStart;
    private int used;

    FrameBudget(int frames, long windowNanos, long now) {
        this.frames = frames;
        this.windowNanos = windowNanos;
        this.windowStart = now;
    }

    /** @return false when this frame exceeds the allowance */
    boolean spend(long now) {
        if (now - windowStart >= windowNanos) {
            windowStart = now;
            used = 0;
        }
        return ++used <= frames;
    }
}
