package io.appmanager.fanout;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Remembers the outcome of each (publisher, idempotency key) for a window. A repeat within the
 * window gets the first outcome (even while the first is still in flight) and publishes nothing.
 * Bounded: past the key limit the oldest keys are forgotten first.
 */
final class IdempotencyCache<T> {

    private record Entry<T>(CompletableFuture<T> outcome, long storedAt) {
    }

    private final long windowNanos;
    private final int maxKeys;
    private final LinkedHashMap<String, Entry<T>> entries = new LinkedHashMap<>();

    IdempotencyCache(long windowNanos, int maxKeys) {
        this.windowNanos = windowNanos;
        this.maxKeys = maxKeys;
    }

    /** @return the remembered outcome, or the new one {@code action} starts (then remembered) */
    synchronized Lookup<T> getOrStart(String key, long nowNanos, Supplier<CompletableFuture<T>> action) {
        expireOlderThanWindow(nowNanos);
        Entry<T> e = entries.get(key);
        if (e != null) {
            return new Lookup<>(e.outcome(), true);
        }
        makeRoomForOne();
        CompletableFuture<T> outcome = action.get();
        entries.put(key, new Entry<>(outcome, nowNanos));
        // A failed publish is not remembered: the publisher may retry it with the same key.
        outcome.whenComplete((v, err) -> {
            if (err != null) {
                forget(key, outcome);
            }
        });
        return new Lookup<>(outcome, false);
    }

    record Lookup<T>(CompletableFuture<T> outcome, boolean repeated) {
    }

    private synchronized void forget(String key, CompletableFuture<T> outcome) {
        Entry<T> e = entries.get(key);
        if (e != null && e.outcome() == outcome) {
            entries.remove(key);
        }
    }

    /** Entries are in insertion order, so the expired ones are a prefix. */
    private void expireOlderThanWindow(long nowNanos) {
        Iterator<Map.Entry<String, Entry<T>>> it = entries.entrySet().iterator();
        while (it.hasNext() && nowNanos - it.next().getValue().storedAt() >= windowNanos) {
            it.remove();
        }
    }

    /** Only a new key makes room, by forgetting the oldest: a repeat never evicts anything. */
    private void makeRoomForOne() {
        Iterator<String> it = entries.keySet().iterator();
        while (entries.size() >= maxKeys && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    synchronized int size() {
        return entries.size();
    }
}
