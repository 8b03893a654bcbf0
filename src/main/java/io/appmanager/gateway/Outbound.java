package io.appmanager.gateway;

import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Context;

import java.util.ArrayDeque;

/**
 * The bounded outbound queue of one socket. Producers (the fan-out thread, the connection's own
 * event loop) enqueue under a lock; a drain on the connection's event loop writes in queue order.
 * Frames written but not yet flushed to the network still count against the bounds, so a client
 * that stops reading is noticed even while the kernel buffers fill.
 */
final class Outbound {

    /** What to do when a producer finds the queue over its bounds. */
    interface OverflowHandler {
        void onOverflow();
    }

    /** Builds the queue of a new socket; the gateway supplies bounds and the overflow policy. */
    interface Factory {
        Outbound create(WebSocketConnection socket, GatewayConnection connection);
    }

    private final WebSocketConnection socket;
    private final Context context;
    private final int maxFrames;
    private final long maxBytes;
    private final OverflowHandler overflow;

    /** A queued frame; only event frames count against the bounds (see {@link #offerControl}). */
    private record Pending(String frame, int weight, boolean bounded) {
    }

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int frames;
    private long bytes;
    private boolean drainScheduled;
    private boolean stopped;

    Outbound(WebSocketConnection socket, Context context, int maxFrames, long maxBytes, OverflowHandler overflow) {
        this.socket = socket;
        this.context = context;
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.overflow = overflow;
    }

    /**
     * Queues an event frame, subject to the bounds. Over them the socket is a slow consumer:
     * the frame is not queued (it is in the replay log), later offers are refused, and the
     * overflow handler, run on the socket's event loop, closes the socket.
     */
    void offerEvent(String frame, int weight) {
        boolean overflowed;
        synchronized (this) {
            if (stopped) {
                return;
            }
            overflowed = frames + 1 > maxFrames || bytes + weight > maxBytes;
            if (overflowed) {
                stopped = true;
            } else {
                enqueueLocked(new Pending(frame, weight, true));
            }
        }
        if (overflowed) {
            context.runOnContext(v -> overflow.onOverflow());
        }
    }

    /**
     * Frames that are never refused and do not count against the bounds: control frames (ACK,
     * READY, INVALID_SESSION, ...) and a RESUME's replay, which the replay log already bounds.
     * Counting the replay would make a full replay trip the slow-consumer close on its own.
     */
    void offerControl(String frame) {
        synchronized (this) {
            if (stopped) {
                return;
            }
            enqueueLocked(new Pending(frame, frame.length(), false));
        }
    }

    /** Stops accepting frames; what is queued is still written (RECONNECT before close, INVALID_SESSION). */
    synchronized void stop() {
        stopped = true;
    }

    synchronized boolean isStopped() {
        return stopped;
    }

    private void enqueueLocked(Pending p) {
        queue.add(p);
        if (p.bounded()) {
            frames++;
            bytes += p.weight();
        }
        if (!drainScheduled) {
            drainScheduled = true;
            context.runOnContext(v -> drain());
        }
    }

    private void drain() {
        while (true) {
            Pending p;
            synchronized (this) {
                p = queue.poll();
                if (p == null) {
                    drainScheduled = false;
                    return;
                }
            }
            socket.sendText(p.frame()).subscribe().with(ok -> release(p), failure -> release(p));
        }
    }

    private synchronized void release(Pending p) {
        if (p.bounded()) {
            frames--;
            bytes -= p.weight();
        }
    }

    /** Runs on the socket's event loop, where all per-socket state lives. */
    void onLoop(Runnable action) {
        context.runOnContext(v -> action.run());
    }

    /**
     * Runs after everything queued before this call has been handed to the socket, on its event loop.
     * Used to close a socket only after the frames explaining why (INVALID_SESSION, RECONNECT) are out.
     */
    void afterQueued(Runnable action) {
        context.runOnContext(v -> {
            drain();
            action.run();
        });
    }
}
