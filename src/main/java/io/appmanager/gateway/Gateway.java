package io.appmanager.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.appmanager.apps.AppSessions;
import io.appmanager.apps.Correlations;
import io.appmanager.auth.Principal;
import io.appmanager.auth.TokenRejected;
import io.appmanager.auth.TokenVerifier;
import io.appmanager.fanout.EncodedEvent;
import io.appmanager.fanout.FanoutEngine;
import io.appmanager.fanout.FeedEntry;
import io.appmanager.fanout.Hub;
import io.appmanager.platform.VersionConfig;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The socket loop: carries out what {@link InboundRules}, {@link Payloads}, {@link Intents},
 * {@link SubscriptionRules} and {@link Replay} decide. Every method runs on the socket's event
 * loop; nothing here blocks.
 */
@io.quarkus.runtime.Startup
@ApplicationScoped
public class Gateway {

    private static final Logger LOG = Logger.getLogger(Gateway.class);
    /** 128 random bits: session ids are bearer-like (with a token) and must not be guessable. */
    private static final int SESSION_ID_BYTES = 16;
    private static final long CLIENT_DELIBERATE_CLOSE_NORMAL = 1000;
    private static final long CLIENT_DELIBERATE_CLOSE_GOING_AWAY = 1001;

    private final GatewayConfig config;
    private final VersionConfig version;
    private final TokenVerifier tokens;
    private final SessionRegistry registry;
    private final Hub hub;
    private final GatewayMetrics metrics;
    private final Vertx vertx;
    private final Frames frames;
    private final ObjectMapper json;
    private final Intents intents;
    private final LoopDrains loopDrains = new LoopDrains();
    private final AppSessions apps;
    private final Correlations correlations;
    private final AppConnections appSockets;
    private final FanoutEngine engine;
    private final SessionCheckpoints checkpoints;
    private final SessionAdoption adoption;
    private final String node;
    private final SecureRandom random = new SecureRandom();
    private volatile boolean draining;

    public Gateway(GatewayConfig config, VersionConfig version, TokenVerifier tokens, SessionRegistry registry,
                   Hub hub, GatewayMetrics metrics, Vertx vertx, ObjectMapper json, AppSessions apps,
                   Correlations correlations, AppConnections appSockets, FanoutEngine engine,
                   SessionCheckpoints checkpoints, SessionAdoption adoption, io.appmanager.apps.AppSessionsConfig appsConfig) {
        this.engine = engine;
        this.checkpoints = checkpoints;
        this.adoption = adoption;
        this.node = AppSessions.nodeName(appsConfig);
        // a lifecycle decision on any node reaches the app socket on whichever node holds it
        appSockets.remoteClosesWith((id, upTo, code, reason) -> {
            if (engine.sharedLog().isPresent()) {
                engine.append(new FeedEntry.CloseAppSocket(id.toString(), upTo, code, reason)).whenComplete((ok, err) -> {
                    if (err != null) {
                        LOG.warnf("close of app session %s's socket not sent to other nodes: %s", id, err.toString());
                    }
                });
            }
        });
        hub.onCloseAppSocket(close -> appSockets.closeHere(UUID.fromString(close.appSessionId()), close.upToGeneration(),
                close.code(), close.reason()));
        hub.onTakeover((sub, byNode) -> {
            if (!byNode.equals(node) && sub instanceof GatewaySession s) {
                handOver(s);
            }
        });
        this.apps = apps;
        this.correlations = correlations;
        this.appSockets = appSockets;
        // 4015 parks: the same instance is taking its gateway session over on another socket; 4000 (this node's
        // ownership lease lapsed) parks so the SDK reconnects and RESUMEs. Every other final app code
        // (stopped, fenced) ends the gateway session with the socket.
        appSockets.closeWith((c, code, reason) -> c.outbound().onLoop(() -> close(c, CloseCodes.of(code), reason,
                code == CloseCodes.SESSION_REPLACED.code || code == CloseCodes.UNKNOWN_ERROR.code
                        ? GatewayConnection.CloseIntent.PARK : GatewayConnection.CloseIntent.END)));
        this.config = config;
        this.version = version;
        this.tokens = tokens;
        this.registry = registry;
        this.hub = hub;
        this.metrics = metrics;
        this.vertx = vertx;
        this.json = json;
        this.frames = new Frames(json);
        this.intents = new Intents(config.intentTable());
    }

    // ---------------------------------------------------------------- socket lifecycle

    void onOpen(WebSocketConnection socket) {
        String versionProblem = QueryCheck.problem(socket.handshakeRequest().query());
        if (versionProblem != null) {
            metrics.serverClose(CloseCodes.INVALID_VERSION);
            socket.close(new CloseReason(CloseCodes.INVALID_VERSION.code, CloseCodes.fit(versionProblem))).subscribe().with(ok -> { }, err -> { });
            return;
        }
        Context context = Vertx.currentContext();
        LoopDrains.Batch drains = loopDrains.forCurrentLoop(context);
        long now = System.nanoTime();
        GatewayConnection c = new GatewayConnection(socket,
                (s, conn) -> new Outbound(s, context, drains, config.outbound().maxFrames(), config.outbound().maxBytes(),
                        () -> slowConsumer(conn)),
                new FrameBudget(config.inboundRateFrames(), config.inboundRateWindow().toNanos(), now), now);
        registry.addConnection(c);
        if (draining) {
            c.outbound().offerControl(Frames.RECONNECT);
            close(c, CloseCodes.GOING_AWAY, "server shutting down", GatewayConnection.CloseIntent.PARK);
            return;
        }
        c.outbound().offerControl(Frames.hello(config.heartbeatInterval().toMillis()));
        c.handshakeTimer(vertx.setTimer(config.handshakeTimeout().toMillis(), id -> handshakeExpired(c)));
    }

    void onText(WebSocketConnection socket, Buffer message) {
        GatewayConnection c = registry.connection(socket.id());
        if (c == null || c.isClosing()) {
            return;
        }
        if (message.length() > config.maxInboundFrameBytes()) {
            reject(c, GatewayMetrics.Rejection.too_large, InboundRules.undecodable(c.phase(),
                    "frame larger than " + config.maxInboundFrameBytes() + " bytes"));
            return;
        }
        InboundFrame frame = InboundFrame.decode(json, message.getBytes());
        if (frame instanceof InboundFrame.Undecodable u) {
            reject(c, GatewayMetrics.Rejection.undecodable, InboundRules.undecodable(c.phase(), u.reason()));
            return;
        }
        InboundFrame.Frame f = (InboundFrame.Frame) frame;
        if (f.op() != OpCodes.HEARTBEAT && !c.budget().spend(System.nanoTime())) {
            metrics.frameRejected(GatewayMetrics.Rejection.rate_limited);
            close(c, CloseCodes.RATE_LIMITED, "rate limit exceeded", GatewayConnection.CloseIntent.END);
            return;
        }
        InboundRules.Decision d = InboundRules.decide(c.phase(), f.op());
        if (d instanceof InboundRules.Decision.AckHeartbeat) {
            heartbeat(c);
        } else if (d instanceof InboundRules.Decision.Identify) {
            identify(c, Payloads.identify(f.data()));
        } else if (d instanceof InboundRules.Decision.Resume) {
            resume(c, Payloads.resume(f.data()));
        } else if (d instanceof InboundRules.Decision.Request) {
            request(c, Payloads.request(f.data()));
        } else if (d instanceof InboundRules.Decision.Subscribe) {
            subscribe(c, Payloads.subscribe(f.data()));
        } else if (d instanceof InboundRules.Decision.InvalidSessionThenClose) {
            reject(c, GatewayMetrics.Rejection.not_authenticated, d);
        } else if (d instanceof InboundRules.Decision.Close x) {
            reject(c, x.code() == CloseCodes.ALREADY_AUTHENTICATED
                    ? GatewayMetrics.Rejection.already_authenticated : GatewayMetrics.Rejection.unknown_op, d);
        }
    }

    void onBinary(WebSocketConnection socket) {
        GatewayConnection c = registry.connection(socket.id());
        if (c != null && !c.isClosing()) {
            reject(c, GatewayMetrics.Rejection.binary,
                    InboundRules.undecodable(c.phase(), "binary frames are not part of encoding=json"));
        }
    }

    /** The transport failed to read a message (e.g. a fragmented one over the transport limit). */
    void onError(WebSocketConnection socket, Throwable failure) {
        GatewayConnection c = registry.connection(socket.id());
        if (c != null && !c.isClosing()) {
            LOG.debugf(failure, "socket %s: unreadable message", socket.id());
            reject(c, GatewayMetrics.Rejection.undecodable,
                    InboundRules.undecodable(c.phase(), "message could not be read"));
        }
    }

    void onClose(WebSocketConnection socket) {
        GatewayConnection c = registry.removeConnection(socket.id());
        if (c == null) {
            return;
        }
        vertx.cancelTimer(c.handshakeTimer());
        vertx.cancelTimer(c.heartbeatTimer());
        c.outbound().stop();
        GatewaySession s = c.session();
        if (s == null) {
            return;
        }
        if (s.app() != null) {
            if (draining) {
                // our own shutdown, not the SDK's drop: the session stays RUNNING in PostgreSQL and the next
                // start of this node gives it restart grace (CloudRestarted), so the reconnect wins
                appSockets.unbindIfCurrent(s.app().appSessionId(), c);
            } else {
                reportAppDrop(s.app(), c);
            }
        }
        if (endsSession(c, socket.closeReason())) {
            if (s.end(c)) {
                forget(s, true);
            }
            return;
        }
        long generation = s.park(c);
        if (generation > 0) {
            vertx.setTimer(config.resumeWindow().toMillis(), id -> expire(s, generation));
        }
    }

    /** A deliberate 1000/1001 from the client signs off; a server close for abuse ends it too. */
    private static boolean endsSession(GatewayConnection c, CloseReason reason) {
        if (c.serverCloseIntent() != null) {
            return c.serverCloseIntent() == GatewayConnection.CloseIntent.END;
        }
        int code = reason == null ? -1 : reason.getCode();
        return code == CLIENT_DELIBERATE_CLOSE_NORMAL || code == CLIENT_DELIBERATE_CLOSE_GOING_AWAY;
    }

    private void expire(GatewaySession s, long generation) {
        long missed = s.unsentRetained();
        if (s.expireIfStillParked(generation)) {
            metrics.sessionExpired(missed);
            forget(s, true);
        }
    }

    /** @param forGood the session ended: nobody may resume it anywhere (false: it moved to another node) */
    private void forget(GatewaySession s, boolean forGood) {
        hub.unregister(s);
        registry.removeSession(s);
        if (s.app() != null) {
            appSockets.forget(s.app().appSessionId(), s);
        }
        if (forGood) {
            checkpoints.ended(s);
        } else {
            checkpoints.handedOver(s);
        }
    }

    /**
     * On the hub thread: another node resumed this session. This node lets its copy go without ending it
     * for the other node, and closes a socket still attached here (4015), unbound first so that an app
     * session's move is not reported as a drop.
     */
    private void handOver(GatewaySession s) {
        GatewayConnection attached = s.attached();
        if (!s.end(null)) {
            return;
        }
        forget(s, false);
        if (attached != null) {
            if (s.app() != null) {
                appSockets.unbindIfCurrent(s.app().appSessionId(), attached);
            }
            attached.outbound().onLoop(() -> close(attached, CloseCodes.SESSION_REPLACED,
                    "session resumed on another node", GatewayConnection.CloseIntent.END));
        }
        metrics.handedOver();
    }

    /**
     * Sends an event to one session through the feed, so that its seq is the same on every node that
     * rebuilds the session. With the shared feed down it is delivered here only: the client still gets it.
     */
    private void sendDirect(GatewaySession s, EncodedEvent event) {
        s.afterPreviousAppend(() -> engine.append(new FeedEntry.Direct(s.id(), event))).whenComplete((ok, err) -> {
            if (appendNeverReachedTheLog(err)) {
                hub.inOrder(() -> s.deliver(event));
            }
        });
    }

    /**
     * Only an append that certainly did not reach the log may be carried out here instead; one that may
     * have (no answer in time) is left to the log, or the session would get it twice.
     */
    private static boolean appendNeverReachedTheLog(Throwable err) {
        Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
        return cause != null && !(cause instanceof FanoutEngine.EngineUnavailable u && u.outcomeUnknown());
    }

    // ---------------------------------------------------------------- ops

    private void heartbeat(GatewayConnection c) {
        c.heartbeat(System.nanoTime());
        c.outbound().offerControl(Frames.HEARTBEAT_ACK);
    }

    private void identify(GatewayConnection c, Payloads.Parsed<Payloads.Identify> parsed) {
        if (!parsed.isOk()) {
            reject(c, GatewayMetrics.Rejection.invalid_payload,
                    new InboundRules.Decision.InvalidSessionThenClose(CloseCodes.DECODE_ERROR, parsed.error()));
            return;
        }
        Payloads.Identify identify = parsed.value();
        if (AppIdentify.isAppKey(identify.token())) {
            identifyApp(c, identify);
            return;
        }
        Principal principal = authenticate(c, identify.token());
        if (principal == null) {
            return;
        }
        Intents.Check check = Intents.check(identify.intents(), principal.privilegedIntents());
        if (check instanceof Intents.Check.Unknown u) {
            close(c, CloseCodes.INVALID_INTENT, "unknown intent: " + u.intent(), GatewayConnection.CloseIntent.END);
            return;
        }
        if (check instanceof Intents.Check.NotGranted n) {
            close(c, CloseCodes.DISALLOWED_INTENT, "intent not granted: " + n.intent(), GatewayConnection.CloseIntent.END);
            return;
        }
        Set<String> granted = ((Intents.Check.Accepted) check).intents();
        GatewaySession s = new GatewaySession(newSessionId(), principal, granted,
                new RingReplayLog(config.replay().maxEvents(), config.replay().maxBytes(), GatewaySession.READY_SEQ + 1),
                intents, metrics.lostWhileParked());
        List<String> topics = SubscriptionRules.initialTopics(principal, config.maxTopicsPerSession());
        List<SubscriptionRules.Refusal> overLimit = SubscriptionRules.initialOverLimit(principal, topics);
        topics.forEach(s::addTopic);
        registry.addSession(s);
        becomeReady(c, s);
        String ready = frames.ready(new Frames.Ready(s.id(), principal.id(), version.api(), version.server(),
                config.heartbeatInterval().toMillis(), config.resumeWindow().toMillis(), topics,
                new Frames.Sdk(config.sdk().minVersion(), config.sdk().latestVersion())));
        EncodedEvent refusedAtIdentify = overLimit.isEmpty() ? null
                : frames.direct("subscriptions.update", subscriptionUpdate(List.of(), List.of(), overLimit, topics));
        // On the hub thread, between entries: READY is queued before any event can be, and the session's
        // first checkpoint is its seq at exactly the position it starts hearing from.
        hub.inOrder(() -> {
            s.attachFirst(c, ready);
            if (refusedAtIdentify != null) {
                // Never a silent drop: the token named topics the session cannot hold.
                s.deliver(refusedAtIdentify);
            }
            hub.register(s, topics);
            checkpoints.registered(s);
        }).whenComplete((ok, err) -> {
            if (err != null) {
                c.outbound().onLoop(() -> close(c, CloseCodes.GOING_AWAY, "server shutting down", GatewayConnection.CloseIntent.PARK));
            }
        });
        metrics.identified();
    }

    private void resume(GatewayConnection c, Payloads.Parsed<Payloads.Resume> parsed) {
        if (!parsed.isOk()) {
            reject(c, GatewayMetrics.Rejection.invalid_payload,
                    new InboundRules.Decision.InvalidSessionThenClose(CloseCodes.DECODE_ERROR, parsed.error()));
            return;
        }
        Payloads.Resume r = parsed.value();
        if (c.attaching()) {
            reject(c, GatewayMetrics.Rejection.already_authenticated,
                    new InboundRules.Decision.Close(CloseCodes.ALREADY_AUTHENTICATED, "already identifying"));
            return;
        }
        if (AppIdentify.isAppKey(r.token())) {
            resumeApp(c, r);
            return;
        }
        Principal principal = authenticate(c, r.token());
        if (principal == null) {
            return;
        }
        GatewaySession s = registry.session(r.sessionId());
        if (s == null && adoption.enabled()) {
            adopt(c, r, principal, adopted -> resumePlain(c, adopted, r, principal));
            return;
        }
        resumePlain(c, s, r, principal);
    }

    private void resumePlain(GatewayConnection c, GatewaySession s, Payloads.Resume r, Principal principal) {
        // Another principal's session is reported as unknown: a session id must not be probeable.
        if (s == null || s.app() != null || !s.principal().id().equals(principal.id())) {
            refuseResume(c, s == null ? "unknown" : "other_principal", "unknown session");
            return;
        }
        completeResume(c, s, r);
    }

    /** The session lives on another node (or did, until it died): rebuild it here, then carry on. */
    private void adopt(GatewayConnection c, Payloads.Resume r, Principal principal,
                       java.util.function.Consumer<GatewaySession> then) {
        c.attaching(true);
        adoption.adopt(r.sessionId(), r.seq(), principal).whenComplete((result, err) -> c.outbound().onLoop(() -> {
            c.attaching(false);
            if (!stillOpen(c)) {
                return;
            }
            if (result instanceof SessionAdoption.Result.Adopted a) {
                metrics.adopted();
                then.accept(a.session());
            } else {
                SessionAdoption.Result.Refused no = result instanceof SessionAdoption.Result.Refused x ? x
                        : new SessionAdoption.Result.Refused(SessionAdoption.UNAVAILABLE, "session history unavailable");
                if (SessionAdoption.UNAVAILABLE.equals(no.cause())) {
                    // nothing is known to be lost: the client comes back and RESUMEs again (4000 is resumable)
                    metrics.resumeRefused(no.cause());
                    close(c, CloseCodes.UNKNOWN_ERROR, no.reason() + "; retry", GatewayConnection.CloseIntent.END);
                } else {
                    refuseResume(c, no.cause(), no.reason());
                }
            }
        }));
    }

    private void completeResume(GatewayConnection c, GatewaySession s, Payloads.Resume r) {
        GatewaySession.ResumeOutcome outcome = s.resume(c, r.seq(), (seq, replayed) -> frames.resumed(s.id(), seq, replayed));
        if (outcome instanceof GatewaySession.ResumeOutcome.Refused refused) {
            // The owner could not resume it and will IDENTIFY afresh: free the session now.
            if (s.end(null)) {
                forget(s, true);
            }
            refuseResume(c, refused.cause(), refused.reason());
            return;
        }
        GatewaySession.ResumeOutcome.Resumed ok = (GatewaySession.ResumeOutcome.Resumed) outcome;
        if (ok.replaced() != null) {
            close(ok.replaced(), CloseCodes.SESSION_REPLACED, "session resumed on another connection",
                    GatewayConnection.CloseIntent.PARK);
        }
        becomeReady(c, s);
        metrics.resumed(ok.replayed());
    }

    private void subscribe(GatewayConnection c, Payloads.Parsed<Payloads.Subscribe> parsed) {
        if (!parsed.isOk()) {
            reject(c, GatewayMetrics.Rejection.invalid_payload,
                    new InboundRules.Decision.Close(CloseCodes.DECODE_ERROR, parsed.error()));
            return;
        }
        GatewaySession s = c.session();
        SubscriptionRules.Change change = SubscriptionRules.apply(Set.copyOf(s.topics()), s.principal(),
                parsed.value().add(), parsed.value().remove(), config.maxTopicsPerSession());
        change.removed().forEach(s::removeTopic);
        change.added().forEach(s::addTopic);
        // The whole new list, through the feed: every node that rebuilds the session switches at the same entry.
        FeedEntry.Topics entry = new FeedEntry.Topics(s.id(), s.topics(), frames.direct("subscriptions.update",
                subscriptionUpdate(change.added(), change.removed(), change.refused(), s.topics())));
        s.afterPreviousAppend(() -> engine.append(entry)).whenComplete((ok, err) -> {
            if (appendNeverReachedTheLog(err)) {
                hub.inOrder(() -> hub.applyLocally(entry));
            }
        });
        if (s.app() != null && (!change.added().isEmpty() || !change.removed().isEmpty())) {
            apps.subscriptionsChanged(s.app().appSessionId(), appTopics(s));
        }
    }

    private static Map<String, Object> subscriptionUpdate(List<String> added, List<String> removed,
                                                          List<SubscriptionRules.Refusal> refused, List<String> topics) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("added", added);
        data.put("removed", removed);
        data.put("refused", refused);
        data.put("topics", topics);
        return data;
    }

    // ---------------------------------------------------------------- app SDK connections

    /**
     * IDENTIFY with an app key: the lifecycle decides (a database round trip, off this loop) whether this
     * is a reconnect, a new instance, or refused; the socket loop then carries the decision out.
     */
    private void identifyApp(GatewayConnection c, Payloads.Identify identify) {
        if (c.attaching()) {
            reject(c, GatewayMetrics.Rejection.already_authenticated,
                    new InboundRules.Decision.Close(CloseCodes.ALREADY_AUTHENTICATED, "already identifying"));
            return;
        }
        Payloads.Parsed<AppIdentify.Claim> parsed = AppIdentify.parse(identify.token(), identify.properties());
        if (!parsed.isOk()) {
            reject(c, GatewayMetrics.Rejection.invalid_payload,
                    new InboundRules.Decision.InvalidSessionThenClose(CloseCodes.DECODE_ERROR, parsed.error()));
            return;
        }
        Intents.Check check = Intents.check(identify.intents(), Set.of());
        if (!(check instanceof Intents.Check.Accepted accepted)) {
            close(c, check instanceof Intents.Check.Unknown u ? CloseCodes.INVALID_INTENT : CloseCodes.DISALLOWED_INTENT,
                    check instanceof Intents.Check.Unknown u ? "unknown intent: " + u.intent()
                            : "intent not granted: " + ((Intents.Check.NotGranted) check).intent(),
                    GatewayConnection.CloseIntent.END);
            return;
        }
        AppIdentify.Claim claim = parsed.value();
        c.attaching(true);
        apps.attach(new AppSessions.AttachRequest(claim.packageName(), claim.apiKey(), claim.userSessionId(),
                        claim.hint(), claim.reconnectToken(), Optional.empty()))
                .subscribe().with(
                        d -> c.outbound().onLoop(() -> finishAppIdentify(c, accepted.intents(), d)),
                        err -> c.outbound().onLoop(() -> attachFailed(c, err)));
    }

    private void finishAppIdentify(GatewayConnection c, Set<String> granted, AppSessions.AttachDecision decision) {
        c.attaching(false);
        if (decision instanceof AppSessions.AttachDecision.Refused refused) {
            refuseApp(c, refused);
            return;
        }
        AppSessions.AttachDecision.Accepted ok = (AppSessions.AttachDecision.Accepted) decision;
        AppBinding binding = new AppBinding(ok.session().id(), ok.session().packageName(), ok.session().userSessionId());
        if (!stillOpen(c)) {
            // the socket went while the lifecycle decided: the session it was given is dropped again at once
            apps.socketClosed(binding.appSessionId(), ok.session().generation()).subscribe().with(x -> { }, err -> { });
            return;
        }
        Principal principal = AppPrincipal.of(binding);
        GatewaySession previous = appSockets.previousSession(binding.appSessionId());
        GatewaySession s = new GatewaySession(newSessionId(), principal, granted,
                new RingReplayLog(config.replay().maxEvents(), config.replay().maxBytes(), GatewaySession.READY_SEQ + 1),
                intents, metrics.lostWhileParked(), binding);
        List<String> topics = new java.util.ArrayList<>();
        topics.add(principal.personalTopic());
        for (String t : ok.session().subscriptions()) {
            if (!topics.contains(t) && principal.maySubscribe(t) && topics.size() < config.maxTopicsPerSession()) {
                topics.add(t);
            }
        }
        topics.forEach(s::addTopic);
        registry.addSession(s);
        appSockets.bind(binding.appSessionId(), c, ok.session().generation(), s);
        becomeReady(c, s);
        // On the hub thread, between deliveries: an instance that came back with IDENTIFY takes what its
        // parked gateway session was never sent, gets READY, those events, then live ones: none lost, none twice.
        boolean inherits = previous != null && ok.reconnect() != null;
        hub.inOrder(() -> {
            List<io.appmanager.fanout.EncodedEvent> missed = inherits ? previous.endAndTakeUnsent() : List.of();
            s.attachFirst(c, frames.ready(new Frames.Ready(s.id(), principal.id(), version.api(), version.server(),
                    config.heartbeatInterval().toMillis(), config.resumeWindow().toMillis(), topics,
                    new Frames.Sdk(config.sdk().minVersion(), config.sdk().latestVersion()),
                    appReady(ok, topics.subList(1, topics.size()), missed.size()))));
            missed.forEach(s::deliver);
            hub.register(s, topics);
            checkpoints.registered(s);
            if (previous != null) {
                // a different instance does not inherit the old one's events
                previous.end(null);
                forget(previous, true);
            }
        }).whenComplete((ok2, err) -> {
            if (err != null) {
                c.outbound().onLoop(() -> close(c, CloseCodes.GOING_AWAY, "server shutting down", GatewayConnection.CloseIntent.PARK));
            }
        });
        metrics.identified();
    }

    private static Frames.AppReady appReady(AppSessions.AttachDecision.Accepted ok, List<String> topics, int replayed) {
        var v = ok.session();
        return new Frames.AppReady(v.id().toString(), v.packageName(), v.userSessionId(), v.state().name(), v.generation(),
                ok.reconnectToken(), topics, v.pendingCorrelations(), ok.droppedCorrelations(), ok.graceMs(),
                ok.reconnect() == null ? null : new Frames.Reconnect(ok.reconnect().inferred(), ok.reconnect().reason()),
                replayed);
    }

    /** RESUME of an app's gateway session: the lifecycle must accept the instance before the replay runs. */
    private void resumeApp(GatewayConnection c, Payloads.Resume r) {
        GatewaySession local = registry.session(r.sessionId());
        if (local == null && adoption.enabled()) {
            adopt(c, r, null, adopted -> resumeApp(c, r, adopted));
            return;
        }
        resumeApp(c, r, local);
    }

    private void resumeApp(GatewayConnection c, Payloads.Resume r, GatewaySession s) {
        if (s == null || s.app() == null) {
            refuseResume(c, s == null ? "unknown" : "other_principal", "unknown session");
            return;
        }
        AppBinding app = s.app();
        c.attaching(true);
        apps.attach(new AppSessions.AttachRequest(app.packageName(), AppIdentify.key(r.token()), app.userSessionId(),
                        false, Optional.empty(), Optional.of(app.appSessionId())))
                .subscribe().with(
                        d -> c.outbound().onLoop(() -> finishAppResume(c, s, r, d)),
                        err -> c.outbound().onLoop(() -> attachFailed(c, err)));
    }

    private void finishAppResume(GatewayConnection c, GatewaySession s, Payloads.Resume r, AppSessions.AttachDecision d) {
        c.attaching(false);
        if (d instanceof AppSessions.AttachDecision.Refused refused) {
            refuseApp(c, refused);
            return;
        }
        long generation = ((AppSessions.AttachDecision.Accepted) d).session().generation();
        if (!stillOpen(c)) {
            apps.socketClosed(s.app().appSessionId(), generation).subscribe().with(x -> { }, err -> { });
            return;
        }
        appSockets.bind(s.app().appSessionId(), c, generation, s);
        completeResume(c, s, r);
        if (c.session() != s) {
            // the replay was refused (gap, seq ahead): the instance will IDENTIFY; until then it is a drop
            appSockets.unbindIfCurrent(s.app().appSessionId(), c);
            apps.socketClosed(s.app().appSessionId(), generation).subscribe().with(x -> { }, err -> { });
        }
    }

    /**
     * REQUEST (op 13) from an app SDK: the correlation id is recorded on the app session (it survives
     * reconnects) and the request goes to the package's platform topic. Answered with request.accepted
     * or request.rejected on this session; a malformed REQUEST is a protocol error (4002).
     */
    private void request(GatewayConnection c, Payloads.Parsed<Payloads.Request> parsed) {
        GatewaySession s = c.session();
        if (s.app() == null) {
            reject(c, GatewayMetrics.Rejection.unknown_op,
                    new InboundRules.Decision.Close(CloseCodes.UNKNOWN_OPCODE, "REQUEST is only for app SDK connections"));
            return;
        }
        if (!parsed.isOk()) {
            reject(c, GatewayMetrics.Rejection.invalid_payload,
                    new InboundRules.Decision.Close(CloseCodes.DECODE_ERROR, parsed.error()));
            return;
        }
        Payloads.Request r = parsed.value();
        AppConnections.Bound bound = appSockets.bound(s.app().appSessionId());
        long generation = bound == null || bound.connection() != c ? -1 : bound.generation();
        correlations.request(s.app().appSessionId(), generation, r.correlationId(), r.type(), r.data())
                .subscribe().with(
                        outcome -> sendDirect(s, frames.direct(outcome.accepted() ? "request.accepted" : "request.rejected",
                                outcome.toEvent())),
                        err -> sendDirect(s, frames.direct("request.rejected",
                                Correlations.RequestOutcome.rejected(r.correlationId(), "unavailable").toEvent())));
    }

    private void refuseApp(GatewayConnection c, AppSessions.AttachDecision.Refused refused) {
        metrics.frameRejected(GatewayMetrics.Rejection.not_authenticated);
        c.outbound().offerControl(Frames.INVALID_SESSION_NOT_RESUMABLE);
        close(c, CloseCodes.of(refused.code()), refused.reason(), GatewayConnection.CloseIntent.END);
    }

    /** The app-session store could not decide (database down): the SDK retries, nothing was changed. */
    private void attachFailed(GatewayConnection c, Throwable err) {
        c.attaching(false);
        LOG.warnf("app attach on socket %s failed: %s", c.id(), err.toString());
        close(c, CloseCodes.UNKNOWN_ERROR, "app session store unavailable; retry", GatewayConnection.CloseIntent.END);
    }

    private boolean stillOpen(GatewayConnection c) {
        return !c.isClosing() && registry.connection(c.id()) == c;
    }

    private void reportAppDrop(AppBinding app, GatewayConnection c) {
        AppConnections.Bound b = appSockets.unbindIfCurrent(app.appSessionId(), c);
        if (b != null) {
            UUID id = app.appSessionId();
            apps.socketClosed(id, b.generation()).subscribe().with(x -> { },
                    err -> LOG.errorf(err, "drop of app session %s not recorded", id));
        }
    }

    private static List<String> appTopics(GatewaySession s) {
        String personal = s.principal().personalTopic();
        return s.topics().stream().filter(t -> !t.equals(personal)).toList();
    }

    // ---------------------------------------------------------------- helpers

    private Principal authenticate(GatewayConnection c, String token) {
        try {
            return tokens.verify(token);
        } catch (TokenRejected e) {
            c.outbound().offerControl(Frames.INVALID_SESSION_NOT_RESUMABLE);
            close(c, CloseCodes.AUTHENTICATION_FAILED, e.getMessage(), GatewayConnection.CloseIntent.END);
            return null;
        }
    }

    private void refuseResume(GatewayConnection c, String metricReason, String reason) {
        metrics.resumeRefused(metricReason);
        c.outbound().offerControl(Frames.INVALID_SESSION_NOT_RESUMABLE);
        close(c, CloseCodes.INVALID_SEQ, "resume refused: " + reason, GatewayConnection.CloseIntent.END);
    }

    private void becomeReady(GatewayConnection c, GatewaySession s) {
        vertx.cancelTimer(c.handshakeTimer());
        c.ready(s);
        c.heartbeat(System.nanoTime());
        scheduleHeartbeatCheck(c, heartbeatTimeoutNanos());
    }

    private long heartbeatTimeoutNanos() {
        return config.heartbeatInterval().toNanos() * config.heartbeatTimeoutFactor();
    }

    /** One timer per socket, re-armed for the remaining time instead of being reset on every heartbeat. */
    private void scheduleHeartbeatCheck(GatewayConnection c, long delayNanos) {
        long ms = Math.max(1, TimeUnit.NANOSECONDS.toMillis(delayNanos));
        c.heartbeatTimer(vertx.setTimer(ms, id -> {
            if (c.isClosing()) {
                return;
            }
            long silent = System.nanoTime() - c.lastHeartbeatNanos();
            if (silent >= heartbeatTimeoutNanos()) {
                close(c, CloseCodes.SESSION_TIMED_OUT, "no heartbeat for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms",
                        GatewayConnection.CloseIntent.PARK);
            } else {
                scheduleHeartbeatCheck(c, heartbeatTimeoutNanos() - silent);
            }
        }));
    }

    private void handshakeExpired(GatewayConnection c) {
        if (c.phase() == InboundRules.Phase.HANDSHAKE) {
            c.outbound().offerControl(Frames.INVALID_SESSION_NOT_RESUMABLE);
            close(c, CloseCodes.SESSION_TIMED_OUT, "no IDENTIFY or RESUME within "
                    + config.handshakeTimeout().toMillis() + " ms", GatewayConnection.CloseIntent.END);
        }
    }

    private void slowConsumer(GatewayConnection c) {
        LOG.infof("socket %s is a slow consumer; closing with 4000", c.id());
        metrics.slowConsumerClosed();
        close(c, CloseCodes.UNKNOWN_ERROR, "slow consumer", GatewayConnection.CloseIntent.PARK);
    }

    private void reject(GatewayConnection c, GatewayMetrics.Rejection why, InboundRules.Decision d) {
        metrics.frameRejected(why);
        if (d instanceof InboundRules.Decision.InvalidSessionThenClose x) {
            c.outbound().offerControl(Frames.INVALID_SESSION_NOT_RESUMABLE);
            close(c, x.code(), x.reason(), GatewayConnection.CloseIntent.END);
        } else if (d instanceof InboundRules.Decision.Close x) {
            close(c, x.code(), x.reason(), GatewayConnection.CloseIntent.END);
        }
    }

    private void close(GatewayConnection c, CloseCodes code, String reason, GatewayConnection.CloseIntent intent) {
        if (c.close(code, reason, intent)) {
            metrics.serverClose(code);
            // A client that is not reading never answers the close handshake: drop it after a grace.
            vertx.setTimer(config.closeTimeout().toMillis(), id -> {
                if (registry.connection(c.id()) == c) {
                    boolean dropped = SocketAbort.abort(c.socket());
                    LOG.debugf("socket %s did not finish closing in %s; dropped: %s", c.id(), config.closeTimeout(), dropped);
                }
            });
        }
    }

    private String newSessionId() {
        byte[] b = new byte[SESSION_ID_BYTES];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    // ---------------------------------------------------------------- drain

    /**
     * Graceful shutdown: every socket is told RECONNECT, then closed with 1001; sessions are parked,
     * not ended, so clients resume (today on this node's successor only when the engine is shared).
     */
    void drain() {
        draining = true;
        for (GatewayConnection c : registry.connections()) {
            c.outbound().onLoop(() -> {
                if (!c.isClosing()) {
                    c.outbound().offerControl(Frames.RECONNECT);
                    close(c, CloseCodes.GOING_AWAY, "server shutting down", GatewayConnection.CloseIntent.PARK);
                }
            });
        }
        LOG.infof("drain: asked %d sockets to reconnect", registry.connectionCount());
    }
}
