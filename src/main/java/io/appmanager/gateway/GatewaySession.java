package io.appmanager.gateway;

import io.appmanager.auth.Principal;
import io.appmanager.fanout.EncodedEvent;
import io.appmanager.fanout.Subscriber;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One resumable session: who it is, what it hears, the seqs it has assigned and the events it
 * could still need to replay. It outlives sockets: while none is attached it is parked and keeps
 * collecting events until the resume window ends.
 *
 * <p>All state is guarded by the session's monitor. Seq assignment, the replay log and the queue
 * of the attached socket change together under it, which is what makes replay-then-live gapless.
 */
public final class GatewaySession implements Subscriber {

    /** The seq READY carries; events start after it. */
    static final long READY_SEQ = 1;

    /** Builds the {@code resumed} frame once the replay size is known. */
    interface ResumedFrame {
        String frame(long seq, long replayed);
    }

    /** What a RESUME came to. */
    sealed interface ResumeOutcome {
        record Resumed(long replayed, long seq, GatewayConnection replaced) implements ResumeOutcome {
        }

        /** @param cause a fixed word for metrics; @param reason the sentence for the client */
        record Refused(String cause, String reason) implements ResumeOutcome {
        }
    }

    private final String id;
    private final Principal principal;
    private final Set<String> intents;
    private final Set<String> topics = new TreeSet<>();
    private final ReplayLog log;
    private final Intents intentTable;
    private final java.util.concurrent.atomic.LongAdder lostWhileParked;

    /** The app session this gateway session serves, or null for a plain client. */
    private final AppBinding app;
    private long lastSeq = READY_SEQ;
    private GatewayConnection attached;
    /** Last seq handed to a socket before it dropped; events after it are what the client is missing. */
    private long seqAtPark;
    /** Bumped on every park so that a stale expiry timer can tell it is stale. */
    private long parkGeneration;
    private boolean ended;
    /** The last feed append made for this session (direct events, topic lists): the next waits for it. */
    private java.util.concurrent.CompletionStage<Void> lastAppend = java.util.concurrent.CompletableFuture.completedFuture(null);

    GatewaySession(String id, Principal principal, Set<String> intents, ReplayLog log, Intents intentTable,
                   java.util.concurrent.atomic.LongAdder lostWhileParked) {
        this(id, principal, intents, log, intentTable, lostWhileParked, null);
    }

    GatewaySession(String id, Principal principal, Set<String> intents, ReplayLog log, Intents intentTable,
                   java.util.concurrent.atomic.LongAdder lostWhileParked, AppBinding app) {
        this.app = app;
        this.id = id;
        this.principal = principal;
        this.intents = Set.copyOf(intents);
        this.log = log;
        this.intentTable = intentTable;
        this.lostWhileParked = lostWhileParked;
    }

    /**
     * A session rebuilt on this node from another node's checkpoint ({@link SessionHistory}): parked, its
     * seq where the owner's was, its log holding the events after the checkpoint, the client having seen
     * up to {@code clientSeq}. The caller resumes it at once.
     */
    static GatewaySession rebuilt(String id, Principal principal, Set<String> intents, Intents intentTable,
                                  java.util.concurrent.atomic.LongAdder lostWhileParked, AppBinding app,
                                  int maxEvents, long maxBytes, long checkpointSeq, List<String> topics,
                                  List<EncodedEvent> events, long clientSeq) {
        GatewaySession s = new GatewaySession(id, principal, intents,
                new RingReplayLog(maxEvents, maxBytes, checkpointSeq + 1), intentTable, lostWhileParked, app);
        s.lastSeq = checkpointSeq;
        s.topics.addAll(topics);
        for (EncodedEvent e : events) {
            s.log.append(++s.lastSeq, e);
        }
        s.seqAtPark = Math.min(clientSeq, s.lastSeq);
        return s;
    }

    /**
     * Runs {@code append} once the previous one for this session completed (either way). A node's appends
     * may reach the shared log in any order; two topic lists of one session must not.
     */
    synchronized java.util.concurrent.CompletionStage<Void> afterPreviousAppend(
            java.util.function.Supplier<java.util.concurrent.CompletionStage<Void>> append) {
        java.util.concurrent.CompletionStage<Void> next = lastAppend.handle((v, e) -> null).thenCompose(v -> append.get());
        lastAppend = next;
        return next;
    }

    @Override
    public boolean accepts(String type) {
        return intentTable.covers(intents, type);
    }

    @Override
    public void deliver(EncodedEvent event) {
        int lost = deliverCounting(event);
        if (lost > 0) {
            lostWhileParked.add(lost);
        }
    }

    public String id() {
        return id;
    }

    AppBinding app() {
        return app;
    }

    public Principal principal() {
        return principal;
    }

    public Set<String> intents() {
        return intents;
    }

    public synchronized List<String> topics() {
        return List.copyOf(topics);
    }

    synchronized boolean addTopic(String topic) {
        return topics.add(topic);
    }

    synchronized boolean removeTopic(String topic) {
        return topics.remove(topic);
    }

    public synchronized long lastSeq() {
        return lastSeq;
    }

    synchronized boolean isParked() {
        return attached == null && !ended;
    }

    synchronized boolean isEnded() {
        return ended;
    }

    /**
     * Events a parked client was never sent that are still in the log; evicted ones were already
     * counted as lost when they were evicted.
     */
    synchronized long unsentRetained() {
        return Math.max(0, lastSeq - Math.max(seqAtPark, log.firstRetainedSeq() - 1));
    }

    synchronized GatewayConnection attached() {
        return attached;
    }

    /**
     * Assigns the next seq, logs the event and queues it for the attached socket, if any.
     *
     * @return events evicted from the log that a parked client had not been sent (lost to it)
     */
    synchronized int deliverCounting(EncodedEvent event) {
        if (ended) {
            return 0;
        }
        long seq = ++lastSeq;
        long firstBefore = log.firstRetainedSeq();
        int evicted = log.append(seq, event);
        if (attached != null) {
            attached.outbound().offerEvent(event.frame(seq), event.weight());
            return 0;
        }
        // Parked: evicted events past what the client was sent are gone for it.
        long lostFrom = Math.max(firstBefore, seqAtPark + 1);
        long lostTo = firstBefore + evicted - 1;
        return (int) Math.max(0, lostTo - lostFrom + 1);
    }

    /** First attach, at IDENTIFY: READY goes out before any event can be queued behind it. */
    synchronized void attachFirst(GatewayConnection connection, String readyFrame) {
        attached = connection;
        connection.outbound().offerControl(readyFrame);
    }

    /**
     * Replays what the client missed after {@code clientSeq}, then {@code resumed}, and attaches
     * the new socket — all under the lock, so live events queue behind the replay. A socket still
     * attached is detached and returned for the caller to close (one live socket per session).
     */
    synchronized ResumeOutcome resume(GatewayConnection connection, long clientSeq, ResumedFrame resumedFrame) {
        if (ended) {
            return new ResumeOutcome.Refused("ended", "session ended");
        }
        Replay.Plan plan = Replay.missedSince(clientSeq, lastSeq, log.firstRetainedSeq());
        if (plan instanceof Replay.Plan.SeqAhead ahead) {
            return new ResumeOutcome.Refused("seq_ahead", "seq " + ahead.clientSeq() + " is ahead of the server's " + ahead.serverSeq());
        }
        if (plan instanceof Replay.Plan.Gap gap) {
            return new ResumeOutcome.Refused("gap", "events after seq " + gap.clientSeq()
                    + " are no longer retained (oldest is " + gap.firstRetained() + ")");
        }
        Replay.Plan.Range range = (Replay.Plan.Range) plan;
        GatewayConnection replaced = attached;
        attached = connection;
        parkGeneration++;
        long seq = range.from();
        for (EncodedEvent e : log.range(range.from(), range.to())) {
            connection.outbound().offerControl(e.frame(seq++));
        }
        connection.outbound().offerControl(resumedFrame.frame(lastSeq, range.count()));
        return new ResumeOutcome.Resumed(range.count(), lastSeq, replaced);
    }

    /**
     * The attached socket went away without a deliberate sign-off. Only the current socket can park
     * the session: a socket that was replaced by a RESUME elsewhere must not.
     *
     * @return the park generation, to hand to {@link #expireIfStillParked}; -1 if nothing changed
     */
    synchronized long park(GatewayConnection connection) {
        if (ended || attached != connection) {
            return -1;
        }
        attached = null;
        seqAtPark = lastSeq;
        return ++parkGeneration;
    }

    /** Ends the session if it is still parked in the same generation. @return true if it ended now */
    synchronized boolean expireIfStillParked(long generation) {
        if (ended || attached != null || generation != parkGeneration) {
            return false;
        }
        ended = true;
        return true;
    }

    /**
     * Ends a parked session and hands over what its client was never sent, for an app instance that
     * came back with IDENTIFY instead of RESUME: it gets them after its new READY, in order.
     * Empty (and nothing ended) if the session is not parked.
     */
    synchronized List<EncodedEvent> endAndTakeUnsent() {
        if (ended || attached != null) {
            return List.of();
        }
        ended = true;
        long from = Math.max(seqAtPark + 1, log.firstRetainedSeq());
        return from > lastSeq ? List.of() : log.range(from, lastSeq);
    }

    /** Ends the session for good (deliberate sign-off or abuse). @return true if it ended now */
    synchronized boolean end(GatewayConnection connection) {
        if (ended || (connection != null && attached != connection)) {
            return false;
        }
        ended = true;
        attached = null;
        return true;
    }
}
