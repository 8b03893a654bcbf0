package io.appmanager.gateway;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.awaitility.Awaitility.await;

/** The batched hand-over of outbound queues to their event loop: nothing is stranded, all runs on the loop. */
class LoopDrainsTest {

    /**
     * A stress check, not a proof: few queues and many rounds, so every drain clears a queue's flag and
     * nearly every offer schedules again. It fails at once if a batch never posts again after its first
     * task; the narrow race of clearing the posted flag after the last poll it does not reliably hit.
     */
    private static final int QUEUES = 8;
    private static final int ROUNDS = 50_000;
    private static final int PRODUCERS = 3;

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** A queue like {@link Outbound}: offered items, a drain-scheduled flag, a drain that takes everything. */
    private static final class CountingQueue implements LoopDrains.Drainable {
        final AtomicInteger offered = new AtomicInteger();
        final AtomicInteger drained = new AtomicInteger();
        final AtomicBoolean scheduled = new AtomicBoolean();
        final AtomicReference<Thread> drainThread = new AtomicReference<>();
        final AtomicBoolean drainedOffLoop = new AtomicBoolean();
        LoopDrains.Batch batch;

        void offer() {
            offered.incrementAndGet();
            if (scheduled.compareAndSet(false, true)) {
                batch.schedule(this);
            }
        }

        @Override
        public void drain() {
            scheduled.set(false);
            drained.set(offered.get());
            if (!Context.isOnEventLoopThread()) {
                drainedOffLoop.set(true);
            }
            drainThread.set(Thread.currentThread());
        }
    }

    @Test
    void everyOfferFromManyThreadsIsDrainedOnTheQueuesEventLoop() throws Exception {
        LoopDrains drains = new LoopDrains();
        Context loop = vertx.getOrCreateContext();
        List<CountingQueue> queues = new ArrayList<>();
        CompletableFuture<Thread> loopThread = new CompletableFuture<>();
        loop.runOnContext(v -> {
            LoopDrains.Batch batch = drains.forCurrentLoop(loop);
            for (int i = 0; i < QUEUES; i++) {
                CountingQueue q = new CountingQueue();
                q.batch = batch;
                queues.add(q);
            }
            loopThread.complete(Thread.currentThread());
        });
        Thread expected = loopThread.get();
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < PRODUCERS; t++) {
            Thread producer = new Thread(() -> {
                for (int round = 0; round < ROUNDS; round++) {
                    for (CountingQueue q : queues) {
                        q.offer();
                    }
                }
            });
            producers.add(producer);
            producer.start();
        }
        for (Thread producer : producers) {
            producer.join();
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (CountingQueue q : queues) {
                assertEquals(PRODUCERS * ROUNDS, q.drained.get(), "offers drained");
            }
        });
        for (CountingQueue q : queues) {
            assertFalse(q.drainedOffLoop.get(), "drained off the event loop");
            assertSame(expected, q.drainThread.get());
        }
    }

    @Test
    void connectionsOnOneLoopShareItsBatchAndOtherLoopsHaveTheirOwn() throws Exception {
        LoopDrains drains = new LoopDrains();
        Context a = newEventLoopContext();
        Context b = newEventLoopContext();
        CompletableFuture<LoopDrains.Batch> first = new CompletableFuture<>();
        CompletableFuture<LoopDrains.Batch> again = new CompletableFuture<>();
        CompletableFuture<LoopDrains.Batch> other = new CompletableFuture<>();
        CompletableFuture<Boolean> sameThread = new CompletableFuture<>();
        a.runOnContext(v -> {
            first.complete(drains.forCurrentLoop(a));
            Thread threadA = Thread.currentThread();
            b.runOnContext(w -> {
                sameThread.complete(Thread.currentThread() == threadA);
                other.complete(drains.forCurrentLoop(b));
            });
        });
        a.runOnContext(v -> again.complete(drains.forCurrentLoop(a)));
        assertSame(first.get(), again.get());
        // verticles deployed one after the other are spread over the loops: b runs on another thread
        assertFalse(sameThread.get());
        assertNotSame(first.get(), other.get());
    }

    /** The context of a fresh verticle: Vert.x assigns each deployment the next event loop in turn. */
    private Context newEventLoopContext() throws Exception {
        CompletableFuture<Context> started = new CompletableFuture<>();
        vertx.deployVerticle(new io.vertx.core.AbstractVerticle() {
            @Override
            public void start() {
                started.complete(context);
            }
        }).toCompletionStage().toCompletableFuture().get();
        return started.get();
    }

    @Test
    void aBatchIsRefusedOffTheEventLoop() {
        LoopDrains drains = new LoopDrains();
        assertThrows(IllegalStateException.class, () -> drains.forCurrentLoop(vertx.getOrCreateContext()));
    }
}
