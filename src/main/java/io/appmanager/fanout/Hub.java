package io.appmanager.fanout;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * This node's topic index and its single delivery thread, which applies the feed in order. Every
 * entry, wherever it was appended, is applied by one thread in feed order: that is the whole of the
 * "publish order per topic" guarantee, it keeps fan-out off the event loops, and because every node
 * applies the same feed in the same order, a session's seqs are the same on whichever node rebuilds
 * it. All state below is touched on the delivery thread only.
 */
@ApplicationScoped
public class Hub {

    private static final Logger LOG = Logger.getLogger(Hub.class);
    /** In-process positions: one epoch per process, entries numbered as they are applied. */
    private static final String LOCAL_EPOCH = "local";

    /** A session known to the hub and the topics it hears, as the feed has them. */
    private record Registration(Subscriber subscriber, List<String> topics) {
    }

    private final Map<String, Set<Subscriber>> byTopic = new HashMap<>();
    private final Map<String, Registration> byId = new HashMap<>();
    private final ExecutorService deliveryThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "appmanager-hub");
        t.setDaemon(true);
        return t;
    });
    private final LongAdder delivered = new LongAdder();
    private final LongAdder undeliverable = new LongAdder();
    private volatile Thread hubThread;
    private LogPosition position;
    private long localCounter;
    private volatile BiConsumer<Subscriber, String> takeovers = (s, node) -> { };
    private volatile Runnable epochListener = () -> { };
    private volatile java.util.function.Consumer<FeedEntry.CloseAppSocket> appSocketCloses = c -> { };

    // ---------------------------------------------------------------- feeding (any thread)

    /** Applies an entry of this node's own feed (the in-process engine): positions are numbered here. */
    public CompletableFuture<Integer> feedLocal(FeedEntry entry) {
        return onHub(() -> apply(new LogPosition(LOCAL_EPOCH, 0, ++localCounter), entry));
    }

    /** Applies an entry read from the shared log, at its position. Call in log order. */
    public CompletableFuture<Integer> feed(LogPosition at, FeedEntry entry) {
        return onHub(() -> apply(at, entry));
    }

    /** The shared log lost history: from here on positions are in a new epoch. */
    public CompletableFuture<Integer> epochChanged(LogPosition from) {
        return onHub(() -> {
            position = from;
            epochListener.run();
            return 0;
        });
    }

    /**
     * Runs {@code action} on the delivery thread, between two entries: nothing is delivered while it
     * runs. Registering a session, taking a checkpoint and handing events between sessions need
     * exactly that, or an entry could fall between them.
     */
    public CompletableFuture<Void> inOrder(Runnable action) {
        return onHub(() -> {
            action.run();
            return 0;
        }).thenApply(n -> null);
    }

    /** Called on the hub thread when another node took over a session this hub holds. */
    public void onTakeover(BiConsumer<Subscriber, String> listener) {
        this.takeovers = listener;
    }

    /** Called on the hub thread for every app-socket close in the feed, wherever it was decided. */
    public void onCloseAppSocket(java.util.function.Consumer<FeedEntry.CloseAppSocket> listener) {
        this.appSocketCloses = listener;
    }

    /** Called on the hub thread after the feed changed epoch. */
    public void onEpochChange(Runnable listener) {
        this.epochListener = listener;
    }

    // ---------------------------------------------------------------- on the hub thread

    /** Makes the session known and subscribes it. Hub thread only (inside {@link #inOrder}). */
    public void register(Subscriber s, List<String> topics) {
        assertHubThread();
        Registration previous = byId.put(s.id(), new Registration(s, List.copyOf(topics)));
        if (previous != null) {
            unindex(previous);
        }
        topics.forEach(t -> byTopic.computeIfAbsent(t, k -> new LinkedHashSet<>()).add(s));
    }

    /** The topics the feed has given this session. Hub thread only. */
    public List<String> topicsOf(String sessionId) {
        assertHubThread();
        Registration r = byId.get(sessionId);
        return r == null ? List.of() : r.topics();
    }

    /** Position of the last entry applied; null until the first. Hub thread only. */
    public LogPosition position() {
        assertHubThread();
        return position;
    }

    /** Applies a topic-list change on this node only (the shared feed is down). Hub thread only. */
    public void applyLocally(FeedEntry entry) {
        assertHubThread();
        applyEntry(entry);
    }

    /** Forgets the session (it ended or moved away); queued behind the entries already in flight. */
    public void unregister(Subscriber s) {
        onHub(() -> {
            Registration r = byId.get(s.id());
            if (r != null && r.subscriber() == s) {
                byId.remove(s.id());
                unindex(r);
            }
            return 0;
        });
    }

    private int apply(LogPosition at, FeedEntry entry) {
        if (position != null && position.sameEpoch(at) && at.compareTo(position) <= 0) {
            return 0; // already applied: a reader that re-read a batch after a blip
        }
        position = at;
        return applyEntry(entry);
    }

    private int applyEntry(FeedEntry entry) {
        if (entry instanceof FeedEntry.Publish p) {
            return publish(p.event());
        }
        if (entry instanceof FeedEntry.Direct d) {
            Registration r = byId.get(d.sessionId());
            if (r != null) {
                // not a publication: not counted in delivered (docs/operations.md)
                r.subscriber().deliver(d.event());
                return 1;
            }
            return 0;
        }
        if (entry instanceof FeedEntry.Topics t) {
            Registration r = byId.get(t.sessionId());
            if (r == null) {
                return 0;
            }
            register(r.subscriber(), t.topics());
            if (t.update() != null) {
                r.subscriber().deliver(t.update());
                return 1;
            }
            return 0;
        }
        if (entry instanceof FeedEntry.CloseAppSocket c) {
            appSocketCloses.accept(c);
            return 0;
        }
        if (entry instanceof FeedEntry.Takeover x) {
            Registration r = byId.get(x.sessionId());
            if (r != null) {
                takeovers.accept(r.subscriber(), x.node());
            }
        }
        return 0;
    }

    private int publish(EncodedEvent event) {
        if (event.topics().size() == 1) {
            return publishToOneTopic(event);
        }
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

    /**
     * The common case, one topic: its subscribers are already distinct, so they are delivered to as the
     * index holds them, with no recipient set built per event (building it, accepts() included, was in a third
     * of the hub thread's samples at 1,000 sessions; docs/benchmarks.md). Safe: the index changes on this thread only.
     */
    private int publishToOneTopic(EncodedEvent event) {
        Set<Subscriber> subs = byTopic.get(event.topics().get(0));
        int n = 0;
        if (subs != null) {
            for (Subscriber s : subs) {
                if (s.accepts(event.type())) {
                    s.deliver(event);
                    n++;
                }
            }
        }
        delivered.add(n);
        if (n == 0) {
            undeliverable.increment();
        }
        return n;
    }

    /** Several topics: a subscriber of more than one of them receives the event once. */
    private Set<Subscriber> recipientsOf(EncodedEvent event) {
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

    private void unindex(Registration r) {
        for (String t : r.topics()) {
            Set<Subscriber> set = byTopic.get(t);
            if (set != null) {
                set.remove(r.subscriber());
                if (set.isEmpty()) {
                    byTopic.remove(t);
                }
            }
        }
    }

    private CompletableFuture<Integer> onHub(java.util.function.Supplier<Integer> work) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                hubThread = Thread.currentThread();
                try {
                    return work.get();
                } catch (RuntimeException e) {
                    // one bad entry or listener must not stop the delivery thread for everyone
                    LOG.error("hub: entry not applied", e);
                    throw e;
                }
            }, deliveryThread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new FanoutEngine.EngineUnavailable("node is shutting down"));
        }
    }

    private void assertHubThread() {
        if (Thread.currentThread() != hubThread) {
            throw new IllegalStateException("hub state is touched on the hub thread only");
        }
    }

    /** Sessions the hub holds, for checkpoints. Hub thread only. */
    public List<Subscriber> subscribers() {
        assertHubThread();
        List<Subscriber> out = new ArrayList<>(byId.size());
        byId.values().forEach(r -> out.add(r.subscriber()));
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
