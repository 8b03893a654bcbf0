package io.appmanager.apps;

import io.appmanager.apps.LifecycleEffect.CallWebhook;
import io.appmanager.apps.LifecycleEffect.CancelTimers;
import io.appmanager.apps.LifecycleEffect.CloseSocket;
import io.appmanager.apps.LifecycleEffect.DropPendingCorrelations;
import io.appmanager.apps.LifecycleEffect.NewGeneration;
import io.appmanager.apps.LifecycleEffect.RefuseConnection;
import io.appmanager.apps.LifecycleEffect.ScheduleTimer;
import io.appmanager.apps.persistence.AppSessionRecord;
import io.appmanager.apps.persistence.AppSessionTransitionRecord;
import io.appmanager.platform.ApiException;
import io.appmanager.platform.db.DbContext;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * The one place app sessions change. Every change is one {@link Lifecycle} decision applied to a
 * row locked with SELECT ... FOR UPDATE, persisted with its history row and its timer in the same
 * transaction; effects that leave the database (webhooks, sockets, metrics) run after the commit.
 * Row locks serialise events per app session across threads and, later, across nodes.
 */
@ApplicationScoped
public class AppSessions {

    private static final Logger LOG = Logger.getLogger(AppSessions.class);
    private static final List<AppSessionState> TERMINAL = List.of(AppSessionState.STOPPED, AppSessionState.EVICTED);

    /** One applied (or ignored) event: what to carry out after the commit. */
    record Step(AppSessionView session, AppSessionState from, LifecycleEvent event, Transition transition,
                String reconnectToken, List<String> droppedCorrelations) {
    }

    /** A start: the session, and whether this call created it (false: it was already live). */
    public record Started(AppSessionView session, boolean created) {
    }

    private final AppDirectory directory;
    private final AppSockets sockets;
    private final LifecycleMetrics metrics;
    private final WebhookCaller webhooks;
    private final Vertx vertx;
    private final AppEvents events;
    private final TransitionRetry retry;
    private final String node;
    private final Clock clock = Clock.systemUTC();
    /**
     * Completes once this node's sessions have been told it restarted. SDK connections wait on it
     * (held, not refused), and so do timers: a grace that ran out while the node was down must first
     * be extended by the restart grace, or every reconnecting SDK would race an immediate resurrection.
     */
    private final RestartGate restored = new RestartGate();
    /**
     * Whether this node holds a live ownership lease ({@link NodeLease}). Without one it must not become
     * the owner of anything: peers may be adopting its sessions, so SDK attaches are refused (the gateway
     * answers 4000, "retry") until the lease is registered again.
     */
    private volatile boolean leaseHeld;

    public AppSessions(AppDirectory directory, AppSockets sockets, LifecycleMetrics metrics, WebhookCaller webhooks,
                       Vertx vertx, AppSessionsConfig config, AppEvents events, TransitionRetry retry) {
        this.events = events;
        this.retry = retry;
        this.directory = directory;
        this.sockets = sockets;
        this.metrics = metrics;
        this.webhooks = webhooks;
        this.vertx = vertx;
        this.node = nodeName(config);
    }

    // ---------------------------------------------------------------- start and stop

    /** Starts the app for a user session, or returns the live session it already has there. */
    public Uni<Started> start(String packageName, String userSessionId) {
        return DbContext.run(vertx, () -> directory.find(packageName)
                .onItem().transformToUni(app -> app.isPresent()
                        ? startFor(app.get(), userSessionId)
                        : Uni.createFrom().failure(new ApiException(404, "unknown_app",
                                "no app is registered as " + packageName, "package_name"))));
    }

    private Uni<Started> startFor(App app, String userSessionId) {
        Uni<Started> create = Panache.withTransaction(() -> insertStarted(app, userSessionId))
                .invoke(this::afterCommit)
                .map(step -> new Started(step.session(), step.transition().outcome() == Transition.Outcome.APPLIED));
        // The partial unique index decides a race between two starts: the loser answers with the winner.
        return create.onFailure(AppSessions::isUniqueViolation).recoverWithUni(() -> Panache.withSession(
                () -> liveSession(app.packageName(), userSessionId, false))
                .map(existing -> new Started(AppSessionView.of(existing.orElseThrow()), false)));
    }

    private Uni<Step> insertStarted(App app, String userSessionId) {
        return liveSession(app.packageName(), userSessionId, false).chain(existing -> {
            if (existing.isPresent()) {
                return Uni.createFrom().item(new Step(AppSessionView.of(existing.get()), existing.get().state,
                        new LifecycleEvent.StartRequested(), Transition.ignored(existing.get().snapshot()), null, List.of()));
            }
            Instant now = clock.instant();
            AppSessionRecord r = new AppSessionRecord();
            r.id = UUID.randomUUID();
            r.packageName = app.packageName();
            r.userSessionId = userSessionId;
            r.createdAt = now;
            Transition t = Lifecycle.start(app.policy(), now);
            return record(r, null, new LifecycleEvent.StartRequested(), t, now, Map.of())
                    .call(step -> r.persist())
                    .call(step -> history(step, now, Map.of()));
        });
    }

    /** Stops an app session: stop_request, socket closed with 4017, never resurrected. */
    public Uni<AppSessionView> stop(UUID id, String reason) {
        return apply(id, new LifecycleEvent.StopRequested(reason), r -> true, r -> r.stopReason = reason)
                .map(step -> step.orElseThrow(() -> notFound(id)).session());
    }

    /** An admin's resurrection now, with a fresh horizon. */
    public Uni<Step> forceResurrection(UUID id) {
        return apply(id, new LifecycleEvent.ForceResurrection(), r -> true, r -> { })
                .map(step -> step.orElseThrow(() -> notFound(id)));
    }

    // ---------------------------------------------------------------- SDK connections

    /** What an SDK connection presents. {@code resumeOf} is set for a gateway RESUME of an app's session. */
    public record AttachRequest(String packageName, String apiKey, String userSessionId, boolean hint,
                                Optional<String> reconnectToken, Optional<UUID> resumeOf) {
    }

    public sealed interface AttachDecision {
        /**
         * @param reconnect    null when this is not a reconnect (a first connect or a resurrected instance)
         * @param droppedCorrelations pending ids this instance does not inherit (a different instance took over)
         */
        record Accepted(AppSessionView session, String reconnectToken, AttachPath path, Reconnect reconnect,
                        List<String> droppedCorrelations, long graceMs) implements AttachDecision {
        }

        /** @param code one of {@link AppCloseCodes}, or the gateway's 4004 (credentials) */
        record Refused(int code, String reason) implements AttachDecision {
        }
    }

    /** READY's {@code reconnect}: whether it was inferred (no token, hint or RESUME) and on what evidence. */
    public record Reconnect(boolean inferred, String reason) {
    }

    /** 4004 for unknown package and wrong key alike: a key must not be probeable per package. */
    public static final int AUTHENTICATION_FAILED = 4004;

    public Uni<AttachDecision> attach(AttachRequest req) {
        return restored.after(() -> attachRestored(req));
    }

    private Uni<AttachDecision> attachRestored(AttachRequest req) {
        if (!leaseHeld) {
            return Uni.createFrom().failure(new IllegalStateException("this node holds no ownership lease"));
        }
        return DbContext.run(vertx, () -> directory.authenticate(req.packageName(), req.apiKey())
                .chain(app -> app.isEmpty()
                        ? Uni.createFrom().item(new AttachDecision.Refused(AUTHENTICATION_FAILED, "unknown package or wrong API key"))
                        : Panache.withTransaction(() -> attachLocked(app.get(), req))
                        .invoke(this::afterAttach)
                        .map(Attached::decision)));
    }

    private record Attached(AttachDecision decision, Step step) {
    }

    private Uni<Attached> attachLocked(App app, AttachRequest req) {
        Uni<Optional<AppSessionRecord>> target = req.resumeOf().isPresent()
                ? AppSessionRecord.<AppSessionRecord>findById(req.resumeOf().get(), LockModeType.PESSIMISTIC_WRITE)
                .map(Optional::ofNullable)
                : liveSession(app.packageName(), req.userSessionId(), true);
        return target.chain(found -> {
            if (found.isEmpty() || !found.get().packageName.equals(app.packageName())) {
                return req.resumeOf().isPresent() ? refused(AppCloseCodes.FENCED, "app session unknown")
                        : endedSession(app.packageName(), req.userSessionId());
            }
            return decideAttach(app, req, found.get());
        });
    }

    private Uni<Attached> decideAttach(App app, AttachRequest req, AppSessionRecord r) {
        Optional<Long> tokenGeneration = Optional.empty();
        if (req.reconnectToken().isPresent()) {
            ReconnectTokens.Parsed parsed = ReconnectTokens.parse(req.reconnectToken().get());
            if (parsed instanceof ReconnectTokens.Parsed.Malformed m) {
                return refused(AppCloseCodes.FENCED, m.reason());
            }
            tokenGeneration = ReconnectTokens.generationOf(parsed);
            if (tokenGeneration.get() == r.generation && !ReconnectTokens.matches(req.reconnectToken().get(), r.reconnectTokenHash)) {
                metrics.reconnectAttempted(AttachPath.TOKEN);
                return refusal(r, Map.of("reason", "unknown_token", "reconnect_attempt", true))
                        .chain(() -> refused(AppCloseCodes.FENCED, "reconnect token not issued for this app session"));
            }
        }
        AttachClassifier.Classification c = AttachClassifier.classify(r.state, req.hint(), tokenGeneration,
                r.generation, req.resumeOf().isPresent());
        if (c instanceof AttachClassifier.Classification.StaleToken stale) {
            metrics.reconnectAttempted(AttachPath.TOKEN);
            return refusal(r, Map.of("reason", "stale_token", "presented", stale.presented(), "reconnect_attempt", true))
                    .chain(() -> refused(stale.refusal().code(), stale.refusal().reason()));
        }
        AttachPath path = ((AttachClassifier.Classification.Path) c).path();
        metrics.reconnectAttempted(path);
        Instant now = clock.instant();
        // a RUNNING session owned by another node has its socket there: as live as one here
        boolean liveSomewhere = sockets.isLive(r.id) || (r.state == AppSessionState.RUNNING && r.ownerNode != null
                && !r.ownerNode.equals(node));
        LifecycleEvent.SdkAttached event = new LifecycleEvent.SdkAttached(path, liveSomewhere);
        AppSessionState from = r.state;
        Transition t = Lifecycle.apply(r.snapshot(), event, app.policy(), now, ThreadLocalRandom.current()::nextDouble);
        if (path == AttachPath.NEW_INSTANCE && t.effects().stream().anyMatch(e -> e instanceof LifecycleEffect.RecordReconnect)) {
            // no evidence, but taken as the instance coming back (late, after grace): an inferred attempt
            metrics.reconnectAttempted(AttachPath.INFERRED);
        }
        Map<String, Object> detail = Map.of("path", path.name());
        return record(r, from, event, t, now, detail)
                .call(step -> history(step, now, detail))
                .map(step -> new Attached(decision(step, path, app.policy()), step));
    }

    private static AttachDecision decision(Step step, AttachPath path, LifecyclePolicy policy) {
        for (LifecycleEffect e : step.transition().effects()) {
            if (e instanceof RefuseConnection refuse) {
                return new AttachDecision.Refused(refuse.code(), refuse.reason());
            }
        }
        Reconnect reconnect = null;
        for (LifecycleEffect e : step.transition().effects()) {
            if (e instanceof LifecycleEffect.RecordReconnect rr) {
                reconnect = new Reconnect(rr.path() == AttachPath.INFERRED, rr.path().name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        if (reconnect == null && step.from() == AppSessionState.RUNNING) {
            // a takeover by the same instance (its old socket's close was not seen yet): a reconnect with no outage
            reconnect = new Reconnect(false, path.name().toLowerCase(java.util.Locale.ROOT));
        }
        return new AttachDecision.Accepted(step.session(), step.reconnectToken(), path, reconnect,
                step.droppedCorrelations(), policy.reconnectGrace().toMillis());
    }

    /** No live session for this user session: a stopped or evicted one says so (4017/4018), else there is none. */
    private Uni<Attached> endedSession(String packageName, String userSessionId) {
        return AppSessionRecord.<AppSessionRecord>find("packageName = ?1 and userSessionId = ?2 order by createdAt desc",
                        packageName, userSessionId).firstResult()
                .chain(latest -> {
                    if (latest == null) {
                        return refused(AppCloseCodes.NO_SESSION, AppCloseCodes.NO_SESSION_REASON);
                    }
                    return latest.state == AppSessionState.EVICTED
                            ? refused(AppCloseCodes.EVICTED, AppCloseCodes.EVICTED_REASON)
                            : refused(AppCloseCodes.STOPPED, AppCloseCodes.STOPPED_REASON);
                });
    }

    private static Uni<Attached> refused(int code, String reason) {
        return Uni.createFrom().item(new Attached(new AttachDecision.Refused(code, reason), null));
    }

    private void afterAttach(Attached a) {
        if (a.step() != null) {
            afterCommit(a.step());
        }
    }

    /**
     * The socket attached at {@code generation} closed. Ignored unless that connection still owns the
     * session: a socket a newer connection replaced must not send a healthy session into grace.
     */
    public Uni<Void> socketClosed(UUID id, long generation) {
        LifecycleEvent closed = new LifecycleEvent.SocketClosed();
        return retry.write(eventName(closed), id, () -> apply(id, closed,
                r -> r.generation == generation && r.state == AppSessionState.RUNNING, r -> { })).replaceWithVoid();
    }

    /**
     * This node's lease lapsed and it closed the socket it held for the session (accepted at
     * {@code generation}): the session gets the restart grace, as if this node had died, and no owner, so a
     * reconnect to any node takes it. Ignored if the session moved on: a peer adopted it already, or its
     * SDK attached again.
     */
    Uni<Void> ownershipLapsed(UUID id, long generation) {
        LifecycleEvent restarted = new LifecycleEvent.CloudRestarted();
        return retry.write(eventName(restarted), id, () -> apply(id, restarted,
                r -> r.generation == generation && r.state == AppSessionState.RUNNING && node.equals(r.ownerNode),
                r -> r.ownerNode = null)).replaceWithVoid();
    }

    /**
     * The instance changed what it hears; stored so a reconnect or a resurrected instance gets the same
     * topics. Writes are coalesced per app session, latest wins, one in flight at a time: a burst of
     * SUBSCRIBEs can never land out of order.
     */
    public void subscriptionsChanged(UUID id, List<String> topics) {
        if (pendingSubscriptions.put(id, List.copyOf(topics)) == null) {
            writeSubscriptions(id);
        }
    }

    private final java.util.concurrent.ConcurrentHashMap<UUID, List<String>> pendingSubscriptions =
            new java.util.concurrent.ConcurrentHashMap<>();

    private void writeSubscriptions(UUID id) {
        List<String> topics = pendingSubscriptions.get(id);
        DbContext.run(vertx, () -> Panache.withTransaction(() -> AppSessionRecord
                        .<AppSessionRecord>findById(id, LockModeType.PESSIMISTIC_WRITE)
                        .invoke(r -> {
                            if (r != null && !r.state.isTerminal()) {
                                r.subscriptions = topics.toArray(String[]::new);
                            }
                        })))
                .subscribe().with(
                        ok -> afterSubscriptionsWritten(id, topics),
                        err -> {
                            LOG.warnf("subscriptions of app session %s not stored: %s", id, err.toString());
                            afterSubscriptionsWritten(id, topics);
                        });
    }

    private void afterSubscriptionsWritten(UUID id, List<String> written) {
        // done unless a newer list arrived meanwhile; then write that one
        if (!pendingSubscriptions.remove(id, written)) {
            writeSubscriptions(id);
        }
    }

    // ---------------------------------------------------------------- restart

    /**
     * After a restart (deploy or crash) of this node: CloudRestarted to every non-terminal session it
     * owned, one at a time, then open the gate for SDK connections and timers. A session whose SDK
     * already reconnected to another node has another owner and is left alone by the guard.
     */
    public Uni<Integer> restoreAfterRestart() {
        return DbContext.run(vertx, () -> Panache.withSession(() -> AppSessionRecord
                        .<AppSessionRecord>find("ownerNode = ?1 and state not in ?2", node, TERMINAL).list()))
                .map(rows -> rows.stream().map(r -> r.id).toList())
                .chain(ids -> restoreEach(ids, 0))
                .onItemOrFailure().invoke((n, err) -> restored.open());
    }

    private Uni<Integer> restoreEach(List<UUID> ids, int done) {
        if (done == ids.size()) {
            return Uni.createFrom().item(done);
        }
        return apply(ids.get(done), new LifecycleEvent.CloudRestarted(), r -> node.equals(r.ownerNode), r -> { })
                .chain(() -> restoreEach(ids, done + 1));
    }

    // ---------------------------------------------------------------- ownership

    String node() {
        return node;
    }

    void leaseHeld(boolean held) {
        this.leaseHeld = held;
    }

    /**
     * Adopts app sessions whose owner node has no live lease (expired, or no row) and is not this node:
     * claimed with FOR UPDATE SKIP LOCKED, given CloudRestarted (restart grace, never an immediate
     * resurrection) and left without an owner, in one transaction, so each is adopted exactly once however
     * many nodes sweep together; the SDK's next attach (to any node) makes that node the owner.
     * Lease times are PostgreSQL's clock, so nodes' clocks do not matter. @return how many were adopted
     */
    public Uni<Integer> adoptOrphans(int batch) {
        return claimAndApply("select s.id from app_sessions s "
                        + "where s.owner_node is not null and s.owner_node <> :me "
                        + "and s.state not in ('STOPPED', 'EVICTED') "
                        + "and not exists (select 1 from node_leases l "
                        + "where l.node_id = s.owner_node and l.expires_at > now()) "
                        + "order by s.updated_at limit :n for update of s skip locked",
                Map.of("me", node, "n", batch), clock.instant(), r -> {
                    Map<String, Object> detail = Map.of("adopted_from", r.ownerNode);
                    r.ownerNode = null;
                    return new Claimed(new LifecycleEvent.CloudRestarted(), detail);
                })
                .invoke(steps -> metrics.orphansAdopted(steps.size()))
                .map(List::size);
    }

    private static String eventName(LifecycleEvent event) {
        return event.getClass().getSimpleName();
    }

    // ---------------------------------------------------------------- timers

    /**
     * Claims due timers with FOR UPDATE SKIP LOCKED and applies their events in the same transaction,
     * so each fires exactly once however many pollers (nodes) race for it. @return how many fired
     */
    public Uni<Integer> fireDueTimers(int batch) {
        return Uni.createFrom().deferred(() -> {
            Instant now = clock.instant();
            List<DueTimer> fired = new ArrayList<>(batch);
            return claimAndApply("select id from app_sessions where timer_at <= :now "
                            + "order by timer_at limit :n for update skip locked",
                    Map.of("now", now, "n", batch), now, r -> {
                        LifecycleEvent event = switch (r.timerKind) {
                            case GRACE -> new LifecycleEvent.GraceExpired();
                            case RESURRECTION -> new LifecycleEvent.ResurrectionDue();
                            case START_TIMEOUT -> new LifecycleEvent.StartTimedOut();
                        };
                        fired.add(new DueTimer(r.timerKind, r.timerAt));
                        Map<String, Object> detail = Map.of("due", r.timerAt.toString());
                        // the slot is spent by firing; the transition re-arms it if its state needs a timer
                        r.timerKind = null;
                        r.timerAt = null;
                        return new Claimed(event, detail);
                    })
                    // after the commit: a claim that rolled back did not fire, its timer is still armed
                    .invoke(steps -> recordLateness(fired))
                    .map(List::size);
        });
    }

    /** A claimed timer: its kind and when it was due. */
    private record DueTimer(LifecycleEffect.TimerKind kind, Instant due) {
    }

    private void recordLateness(List<DueTimer> fired) {
        Instant committed = clock.instant();
        for (DueTimer t : fired) {
            metrics.timerFired(t.kind(), java.time.Duration.between(t.due(), committed));
        }
    }

    /** What a claim does to one locked row: the event to apply and its history detail. */
    private record Claimed(LifecycleEvent event, Map<String, Object> detail) {
    }

    /**
     * Locks rows with {@code lockIds} (a {@code select id ... for update skip locked}, skipping rows another
     * node holds), loads them and applies to each the event {@code claim} names, all in one transaction.
     * The locks are this transaction's until it commits, so the entities read are the locked rows.
     * {@code claim} may also change caller-owned columns.
     */
    private Uni<List<Step>> claimAndApply(String lockIds, Map<String, Object> params, Instant now,
                                          java.util.function.Function<AppSessionRecord, Claimed> claim) {
        return DbContext.run(vertx, () -> Panache.withTransaction(() -> Panache.getSession()
                        .chain(s -> {
                            var query = s.createNativeQuery(lockIds, UUID.class);
                            params.forEach(query::setParameter);
                            return query.getResultList()
                                    .chain(ids -> ids.isEmpty() ? Uni.createFrom().item(List.<AppSessionRecord>of())
                                            : s.find(AppSessionRecord.class, ids.toArray())
                                            // a row deleted (its app deleted) between the claim and the load is gone: skip it
                                            .map(rows -> rows.stream().filter(java.util.Objects::nonNull).toList()));
                        })
                        .chain(rows -> applyEach(rows, claim, now, new ArrayList<>())))
                .invoke(steps -> steps.forEach(this::afterCommit)));
    }

    private Uni<List<Step>> applyEach(List<AppSessionRecord> rows, java.util.function.Function<AppSessionRecord, Claimed> claim,
                                      Instant now, List<Step> done) {
        if (done.size() == rows.size()) {
            return Uni.createFrom().item(done);
        }
        AppSessionRecord r = rows.get(done.size());
        Claimed c = claim.apply(r);
        return policyOf(r.packageName)
                .chain(policy -> applyLocked(r, c.event(), policy, now, c.detail()))
                .chain(step -> {
                    done.add(step);
                    return applyEach(rows, claim, now, done);
                });
    }

    // ---------------------------------------------------------------- applying one event

    /**
     * Applies {@code event} to the session under its row lock. {@code stillMeant} guards answers that may
     * have been overtaken (a webhook outcome for an earlier attempt, the close of a replaced socket): when
     * it says no, nothing is written. {@code alsoSet} changes caller-owned columns in the same write.
     */
    Uni<Optional<Step>> apply(UUID id, LifecycleEvent event, Predicate<AppSessionRecord> stillMeant,
                              java.util.function.Consumer<AppSessionRecord> alsoSet) {
        Instant now = clock.instant();
        return DbContext.run(vertx, () -> Panache.withTransaction(() -> AppSessionRecord
                        .<AppSessionRecord>findById(id, LockModeType.PESSIMISTIC_WRITE)
                        .chain(r -> {
                            if (r == null) {
                                return Uni.createFrom().item(Optional.<Step>empty());
                            }
                            if (!stillMeant.test(r)) {
                                return Uni.createFrom().item(Optional.of(new Step(AppSessionView.of(r), r.state, event,
                                        Transition.ignored(r.snapshot()), null, List.of())));
                            }
                            alsoSet.accept(r);
                            return policyOf(r.packageName)
                                    .chain(policy -> applyLocked(r, event, policy, now, Map.of()))
                                    .map(Optional::of);
                        }))
                .invoke(step -> step.ifPresent(this::afterCommit)));
    }

    private Uni<Step> applyLocked(AppSessionRecord r, LifecycleEvent event, LifecyclePolicy policy, Instant now,
                                  Map<String, Object> detail) {
        AppSessionState from = r.state;
        Transition t = Lifecycle.apply(r.snapshot(), event, policy, now, ThreadLocalRandom.current()::nextDouble);
        return record(r, from, event, t, now, detail).call(step -> history(step, now, detail));
    }

    private Uni<LifecyclePolicy> policyOf(String packageName) {
        return directory.find(packageName).map(app -> app.map(App::policy).orElseGet(directory::defaults));
    }

    /** Writes the transition's database effects into the (locked or new) record. */
    private Uni<Step> record(AppSessionRecord r, AppSessionState from, LifecycleEvent event, Transition t, Instant now,
                             Map<String, Object> detail) {
        String token = null;
        List<String> dropped = List.of();
        if (t.outcome() == Transition.Outcome.APPLIED) {
            r.apply(t.next());
            r.updatedAt = now;
            for (LifecycleEffect e : t.effects()) {
                if (e instanceof ScheduleTimer st) {
                    r.timerKind = st.kind();
                    r.timerAt = st.at();
                } else if (e instanceof CancelTimers) {
                    r.timerKind = null;
                    r.timerAt = null;
                } else if (e instanceof NewGeneration && event instanceof LifecycleEvent.SdkAttached) {
                    token = ReconnectTokens.mint(r.generation);
                    r.reconnectTokenHash = ReconnectTokens.hash(token);
                    r.ownerNode = node;
                } else if (e instanceof DropPendingCorrelations) {
                    dropped = List.copyOf(r.pendingCorrelations.keySet());
                    r.droppedCorrelations = dropped.toArray(String[]::new);
                    r.pendingCorrelations = new LinkedHashMap<>();
                }
            }
            if (event instanceof LifecycleEvent.SdkAttached) {
                Correlations.pruneExpired(r, now);
            }
        }
        return Uni.createFrom().item(new Step(AppSessionView.of(r), from, event, t, token, dropped));
    }


    private Uni<Void> history(Step step, Instant now, Map<String, Object> detail) {
        if (step.transition().outcome() == Transition.Outcome.IGNORED) {
            return Uni.createFrom().voidItem();
        }
        AppSessionTransitionRecord h = new AppSessionTransitionRecord();
        h.appSessionId = step.session().id();
        h.at = now;
        h.fromState = step.from() == null ? null : step.from().name();
        h.toState = step.transition().next().state().name();
        h.event = step.event().getClass().getSimpleName();
        Map<String, Object> d = new LinkedHashMap<>(detail);
        d.putAll(EventDetail.of(step.event()));
        d.putAll(EventDetail.measures(step.event(), step.transition()));
        d.put("effects", step.transition().effects().stream().map(EventDetail::describe).toList());
        d.put("generation", step.transition().next().generation());
        h.detail = d;
        h.node = node;
        return h.persist().replaceWithVoid();
    }

    /** A refusal before the lifecycle ran (stale token) is history too: an operator asks "why was it refused?". */
    private Uni<Void> refusal(AppSessionRecord r, Map<String, Object> detail) {
        AppSessionTransitionRecord h = new AppSessionTransitionRecord();
        h.appSessionId = r.id;
        h.at = clock.instant();
        h.fromState = r.state.name();
        h.toState = r.state.name();
        h.event = "SdkAttachRefused";
        h.detail = new LinkedHashMap<>(detail);
        h.node = node;
        return h.persist().replaceWithVoid();
    }

    // ---------------------------------------------------------------- after the commit

    private void afterCommit(Step step) {
        if (step.transition().outcome() == Transition.Outcome.IGNORED) {
            return;
        }
        AppSessionView s = step.session();
        events.transition(s, step.from(), step.event());
        if (!step.droppedCorrelations().isEmpty()) {
            events.correlationsDropped(s, step.droppedCorrelations());
        }
        for (LifecycleEffect e : step.transition().effects()) {
            if (e instanceof CallWebhook call) {
                webhooks.call(s, call, this::webhookAnswered);
            } else if (e instanceof CloseSocket close) {
                // an accepted attach has its own, newer generation: only sockets before it are closed
                long upTo = step.event() instanceof LifecycleEvent.SdkAttached ? s.generation() - 1 : s.generation();
                sockets.close(s.id(), upTo, close.code(), close.reason());
            } else {
                metrics.record(e);
            }
        }
    }

    /** Feeds a webhook's answer back as an event, unless the session moved on since it was sent. */
    private void webhookAnswered(AppSessionView sent, LifecycleEvent answer) {
        retry.write(eventName(answer), sent.id(), () -> apply(sent.id(), answer, r -> r.state == sent.state()
                        && r.generation == sent.generation() && r.resurrectionAttempts == sent.resurrectionAttempts(), r -> { }))
                .subscribe().with(ok -> { }, err -> { /* surfaced by the retry: ERROR line and counter */ });
    }

    // ---------------------------------------------------------------- reads

    /** The non-terminal session of a package in a user session, if any (locked when asked). */
    private static Uni<Optional<AppSessionRecord>> liveSession(String packageName, String userSessionId, boolean lock) {
        var q = AppSessionRecord.<AppSessionRecord>find("packageName = ?1 and userSessionId = ?2 and state not in ?3",
                packageName, userSessionId, TERMINAL);
        return (lock ? q.withLock(LockModeType.PESSIMISTIC_WRITE) : q).firstResult().map(Optional::ofNullable);
    }

    public Uni<Optional<AppSessionView>> find(UUID id) {
        return DbContext.run(vertx, () -> Panache.withSession(() -> AppSessionRecord.<AppSessionRecord>findById(id))
                .map(r -> Optional.ofNullable(r).map(AppSessionView::of)));
    }

    /** Counts by state for the gauge; cheap (the by-state index). */
    public Uni<Map<AppSessionState, Long>> countByState() {
        return DbContext.run(vertx, () -> Panache.withSession(() -> Panache.getSession().chain(s -> s
                .createQuery("select state, count(*) from AppSessionRecord group by state", Object[].class)
                .getResultList()))
                .map(rows -> {
                    Map<AppSessionState, Long> out = new java.util.EnumMap<>(AppSessionState.class);
                    for (Object[] row : rows) {
                        out.put((AppSessionState) row[0], (Long) row[1]);
                    }
                    return out;
                }));
    }

    void refreshStateGauge() {
        countByState().subscribe().with(metrics::sessionsByState, err -> LOG.debug("state gauge not refreshed", err));
    }

    static ApiException notFound(UUID id) {
        return new ApiException(404, "not_found", "no app session " + id, null);
    }

    private static boolean isUniqueViolation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConstraintViolationException cv && "23505".equals(cv.getSQLState())) {
                return true;
            }
            if (c.getMessage() != null && c.getMessage().contains("23505")) {
                return true;
            }
        }
        return false;
    }

    /** This node's name: the configured node id, else the host name (a pod's name on Kubernetes). */
    public static String nodeName(AppSessionsConfig config) {
        return config.nodeId().orElseGet(AppSessions::hostName);
    }

    private static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "node-" + UUID.randomUUID().toString().substring(0, 8);
        }
    }
}
