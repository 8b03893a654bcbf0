package io.appmanager.webhooks;

import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

/**
 * One circuit breaker per app, in a bounded map. The breaker itself ({@code G}, a SmallRye Fault Tolerance
 * guard in production) is built by the factory from the package name and the listener that keeps
 * {@link Circuit#state} in step; this class only keeps, finds and forgets them, so it is tested without
 * the library.
 *
 * <p>Bound: at most {@code maxPackages} entries. Whenever an app gets a new entry, entries idle for longer
 * than {@code idleEviction} are dropped, then the least recently used ones while the map is still over the
 * bound. A forgotten breaker starts closed when its app is called again.
 */
final class WebhookCircuits<G> {

    /** An app's breaker and what the library does not tell us about it: its state and when it opened. */
    static final class Circuit<G> {
        private final LongSupplier nanoClock;
        private volatile G guard;
        private volatile CircuitState state = CircuitState.CLOSED;
        private volatile long openedAtNanos;
        private volatile long lastUsedNanos;

        private Circuit(LongSupplier nanoClock) {
            this.nanoClock = nanoClock;
            this.lastUsedNanos = nanoClock.getAsLong();
        }

        G guard() {
            return guard;
        }

        CircuitState state() {
            return state;
        }

        /** The breaker's state-change listener: runs on whichever thread moved it, so it only stores. */
        void moved(CircuitState to) {
            if (to == CircuitState.OPEN) {
                openedAtNanos = nanoClock.getAsLong();
            }
            state = to;
        }

        /** How long until this breaker lets a request through, for a request it just refused. */
        Duration retryAfter(Duration delay, Duration probeWait) {
            return WebhookCircuits.retryAfter(state, openedAtNanos, nanoClock.getAsLong(), delay, probeWait);
        }
    }

    private final Map<String, Circuit<G>> circuits = new ConcurrentHashMap<>();
    private final int maxPackages;
    private final long idleNanos;
    private final LongSupplier nanoClock;
    private final BiFunction<String, Consumer<CircuitState>, G> guardFactory;

    WebhookCircuits(int maxPackages, Duration idleEviction, LongSupplier nanoClock,
                    BiFunction<String, Consumer<CircuitState>, G> guardFactory) {
        this.maxPackages = maxPackages;
        this.idleNanos = idleEviction.toNanos();
        this.nanoClock = nanoClock;
        this.guardFactory = guardFactory;
    }

    /** The app's circuit, created closed on first use; marks it used now. */
    Circuit<G> acquire(String packageName) {
        boolean[] created = {false};
        Circuit<G> circuit = circuits.computeIfAbsent(packageName, name -> {
            created[0] = true;
            Circuit<G> fresh = new Circuit<>(nanoClock);
            fresh.guard = guardFactory.apply(name, fresh::moved);
            return fresh;
        });
        circuit.lastUsedNanos = nanoClock.getAsLong();
        if (created[0]) {
            evict(packageName);
        }
        return circuit;
    }

    /** CLOSED for an app that has no breaker (never called, or forgotten). */
    CircuitState state(String packageName) {
        Circuit<G> circuit = circuits.get(packageName);
        return circuit == null ? CircuitState.CLOSED : circuit.state;
    }

    long count(CircuitState state) {
        return circuits.values().stream().filter(c -> c.state == state).count();
    }

    int size() {
        return circuits.size();
    }

    private void evict(String keep) {
        long now = nanoClock.getAsLong();
        circuits.entrySet().removeIf(e -> !e.getKey().equals(keep) && now - e.getValue().lastUsedNanos > idleNanos);
        int excess = circuits.size() - maxPackages;
        if (excess > 0) {
            circuits.entrySet().stream()
                    .filter(e -> !e.getKey().equals(keep))
                    .sorted(Comparator.comparingLong(e -> e.getValue().lastUsedNanos))
                    .limit(excess)
                    .toList()
                    .forEach(e -> circuits.remove(e.getKey(), e.getValue()));
        }
    }

    /**
     * Time left before a refused request could go through. OPEN: the rest of the delay since it opened (the
     * library does not expose it, so we note when it opened). HALF_OPEN: its probe is in flight and is answered
     * within {@code probeWait} (the webhook timeout). CLOSED: it closed since it refused, so now.
     */
    static Duration retryAfter(CircuitState state, long openedAtNanos, long nowNanos, Duration delay,
                               Duration probeWait) {
        return switch (state) {
            case OPEN -> {
                Duration left = delay.minusNanos(nowNanos - openedAtNanos);
                yield left.isNegative() ? Duration.ZERO : left;
            }
            case HALF_OPEN -> probeWait;
            case CLOSED -> Duration.ZERO;
        };
    }
}
