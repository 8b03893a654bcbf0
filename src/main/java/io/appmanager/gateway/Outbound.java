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
final class Outbound implements LoopDrains.Drainable {

    /** What to do when a producer finds the queue over its bounds. */
    interface OverflowHandler {
        void onOverflow();
    }

    /** Builds the queue of a new socket; the gateway supplies bounds and the overflow policy. */
    interface Factory {
        Outbound create(WebSocketConnection socket, GatewayConnection connection);
    }

    private final SocketWriter writer;
    private final Context context;
    private final LoopDrains.Batch drains;
    private final int maxFrames;
    private final long maxBytes;
    private final OverflowHandler overflow;

    /** A queued frame; only event frames count against the bounds (see {@link #offerControl}). */
    private record Pending(String frame, int weight, boolean bounded) {
    }

    private ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** The queue a drain is writing from; swapped with {@link #queue} under the lock, used by the drain only. */
    private ArrayDeque<Pending> spare = new ArrayDeque<>();
    private int frames;
    private long bytes;
    private boolean drainScheduled;
    private boolean stopped;

    Outbound(WebSocketConnection socket, Context context, LoopDrains.Batch drains, int maxFrames, long maxBytes,
             OverflowHandler overflow) {
        this.writer = SocketWriter.of(socket);
        this.context = context;
        this.drains = drains;
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
            drains.schedule(this);
        }
    }

    /**
     * Writes what is queued; runs on the socket's event loop (from its {@link LoopDrains.Batch} or
     * {@link #afterQueued}). The frames of one drain are released from the bounds together, when the
     * last one's write completes: a socket's writes complete in order, and one completion callback per
     * drain instead of one per frame was a measurable share of the event loops' time (docs/benchmarks.md).
     */
    @Override
    public void drain() {
        while (true) {
            ArrayDeque<Pending> batch;
            synchronized (this) {
                if (queue.isEmpty()) {
                    drainScheduled = false;
                    return;
                }
                // one lock per batch, not per frame: the hub thread offers to this queue meanwhile
                batch = queue;
                queue = spare;
                spare = batch;
            }
            int drainedFrames = 0;
            long drainedBytes = 0;
            Pending p;
            while ((p = batch.poll()) != null) {
                if (p.bounded()) {
                    drainedFrames++;
                    drainedBytes += p.weight();
                }
                if (!batch.isEmpty() || drainedFrames == 0) {
                    writer.write(p.frame(), null);
                } else {
                    int releasedFrames = drainedFrames;
                    long releasedBytes = drainedBytes;
                    writer.write(p.frame(), done -> release(releasedFrames, releasedBytes));
                }
            }
        }
    }

    private synchronized void release(int releasedFrames, long releasedBytes) {
        frames -= releasedFrames;
        bytes -= releasedBytes;
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
