package io.appmanager.gateway;

import io.vertx.core.Context;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands outbound queues to their event loop in batches. A publication to a topic with a thousand
 * subscribers used to post a thousand tasks (one per socket) to the event loops, each with a
 * selector wake-up; the profile at 1,000 sessions showed most event-loop time in that hand-over
 * (docs/benchmarks.md). Now the first queue that has frames for a loop posts one task, and the
 * queues that follow before it runs join it: one task per loop per burst instead of one per socket.
 */
final class LoopDrains {

    /** The event-loop thread of each batch: connections on one loop share its batch. */
    private final Map<Thread, Batch> byLoop = new ConcurrentHashMap<>();

    /**
     * The batch of the calling event loop, for a connection opened on it ({@code context} is that
     * connection's context: a batch's task runs on the context of the connection that created it,
     * which shares the loop thread with every other connection of the batch).
     */
    Batch forCurrentLoop(Context context) {
        if (!Context.isOnEventLoopThread()) {
            // keyed by the calling thread: from a worker thread, sockets of different loops would share a batch
            throw new IllegalStateException("connections are opened on their event loop");
        }
        return byLoop.computeIfAbsent(Thread.currentThread(), t -> new Batch(context));
    }

    /** What a batch drains: an {@link Outbound}. */
    interface Drainable {
        void drain();
    }

    /** The queues of one event loop that have frames to write. */
    static final class Batch {
        private final Context context;
        private final ConcurrentLinkedQueue<Drainable> ready = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean posted = new AtomicBoolean();

        Batch(Context context) {
            this.context = context;
        }

        /** Queues {@code outbound} for a drain on the loop; posts the loop task only if none is pending. */
        void schedule(Drainable outbound) {
            ready.add(outbound);
            if (posted.compareAndSet(false, true)) {
                context.runOnContext(v -> run());
            }
        }

        private void run() {
            // cleared before polling: a queue added after the last poll posts a new task, so none is stranded
            posted.set(false);
            Drainable next;
            while ((next = ready.poll()) != null) {
                next.drain();
            }
        }
    }
}
