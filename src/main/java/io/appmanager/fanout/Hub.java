package io.appmanager.fanout;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * This node's topic index and its single delivery thread. Every event, wherever it was published,
 * is handed to every local subscriber of its topics by one thread, in arrival order: that is the
 * whole of the "publish order per topic" guarantee, and it keeps fan-out off the event loops.
 */
@ApplicationScoped
public class Hub {

    private final Map<String, Set<Subscriber>> byTopic = new ConcurrentHashMap<>();
    private final ExecutorService deliveryThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "appmanager-hub");
        t.setDaemon(true);
        return t;
    });
    private final LongAdder delivered = new LongAdder();
    private final LongAdder undeliverable = new LongAdder();

    public void subscribe(String topic, Subscriber subscriber) {
        byTopic.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(subscriber);
    }

    public void unsubscribe(String topic, Subscriber subscriber) {
        byTopic.computeIfPresent(topic, (t, set) -> {
            set.remove(subscriber);
            return set.isEmpty() ? null : set;
        });
    }

    public void unsubscribeAll(List<String> topics, Subscriber subscriber) {
        for (String topic : topics) {
            unsubscribe(topic, subscriber);
        }
    }

    /**
     * Delivers on the hub thread. @return how many local subscribers received it (a subscriber of
     * several of its topics counts, and receives, once)
     */
    public CompletableFuture<Integer> dispatch(EncodedEvent event) {
        try {
            return CompletableFuture.supplyAsync(() -> deliverNow(event), deliveryThread);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new FanoutEngine.EngineUnavailable("node is shutting down"));
        }
    }

    /**
     * Runs {@code action} on the delivery thread, between two deliveries: no event is delivered while it
     * runs. A hand-over between sessions (an app instance that IDENTIFYs again takes what its parked
     * session was never sent, then subscribes) needs exactly that, or an event could fall between them.
     */
    public CompletableFuture<Void> inOrder(Runnable action) {
        try {
            return CompletableFuture.runAsync(action, deliveryThread);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new FanoutEngine.EngineUnavailable("node is shutting down"));
        }
    }

    private int deliverNow(EncodedEvent event) {
        Set<Subscriber> recipients = recipientsOf(event);
        for (Subscriber s : recipients) {
            s.deliver(event);
        }
        delivered.add(recipients.size());
        if (recipients.isEmpty()) {
            undeliverable.increment();
        }
        return recipients.size();
    }

    private Set<Subscriber> recipientsOf(EncodedEvent event) {
        if (event.topics().size() == 1) {
            Set<Subscriber> subs = byTopic.getOrDefault(event.topics().get(0), Set.of());
            Set<Subscriber> out = Collections.newSetFromMap(new IdentityHashMap<>(subs.size() * 2));
            for (Subscriber s : subs) {
                if (s.accepts(event.type())) {
                    out.add(s);
                }
            }
            return out;
        }
        Set<Subscriber> out = Collections.newSetFromMap(new IdentityHashMap<>());
        for (String topic : event.topics()) {
            for (Subscriber s : byTopic.getOrDefault(topic, Set.of())) {
                if (s.accepts(event.type())) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    public long deliveredCount() {
        return delivered.sum();
    }

    /** Events that matched no local subscriber at all. */
    public long undeliverableCount() {
        return undeliverable.sum();
    }

    void onStop(@Observes ShutdownEvent e) {
        deliveryThread.shutdown();
    }
}
