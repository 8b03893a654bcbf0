package io.appmanager.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.appmanager.auth.Principal;
import io.appmanager.fanout.FanoutEngine;
import io.appmanager.fanout.FeedCodec;
import io.appmanager.fanout.FeedEntry;
import io.appmanager.fanout.Hub;
import io.appmanager.fanout.LogPosition;
import io.appmanager.fanout.SharedLog;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A RESUME of a session this node never held (its node died, drained, or the load balancer chose
 * another node): the session is rebuilt from its checkpoint and the shared log after it
 * ({@link SessionHistory}), registered here at exactly the hub's position, and announced with a
 * takeover so the node that held it lets it go. Never a partial rebuild: a checkpoint in another
 * epoch or a log trimmed past it is a refusal, and the client starts afresh (INVALID_SESSION false).
 */
@ApplicationScoped
public class SessionAdoption {

    private static final Logger LOG = Logger.getLogger(SessionAdoption.class);
    /** Entries per read while catching up a checkpoint: one round trip covers seconds of a busy log. */
    private static final int READ_BATCH = 1000;
    /**
     * Rounds of "read more, then try to register" before giving up: each round reads what the hub
     * applied meanwhile, so more than a few means the node cannot keep up with its own log.
     */
    private static final int MAX_ROUNDS = 50;
    /** Pause before retrying when this node's hub has not yet applied the checkpoint's position. */
    private static final long BEHIND_RETRY_MS = 20;

    /** The refusal cause when the history could not be read (Redis unreachable): worth retrying. */
    static final String UNAVAILABLE = "unavailable";

    /** What an adoption came to. */
    sealed interface Result {
        record Adopted(GatewaySession session) implements Result {
        }

        /** @param cause a fixed word for metrics; @param reason the sentence for the client */
        record Refused(String cause, String reason) implements Result {
        }
    }

    private final FanoutEngine engine;
    private final Hub hub;
    private final ObjectMapper json;
    private final FeedCodec codec;
    private final GatewayConfig config;
    private final SessionRegistry registry;
    private final SessionCheckpoints checkpoints;
    private final GatewayMetrics metrics;
    private final Intents intents;
    private final String node;

    public SessionAdoption(FanoutEngine engine, Hub hub, ObjectMapper json, GatewayConfig config, SessionRegistry registry,
                           SessionCheckpoints checkpoints, GatewayMetrics metrics, io.appmanager.apps.AppSessionsConfig apps) {
        this.engine = engine;
        this.hub = hub;
        this.json = json;
        this.codec = new FeedCodec(json);
        this.config = config;
        this.registry = registry;
        this.checkpoints = checkpoints;
        this.metrics = metrics;
        this.intents = new Intents(config.intentTable());
        this.node = io.appmanager.apps.AppSessions.nodeName(apps);
    }

    /** Whether sessions can be rebuilt here at all (a shared engine). */
    boolean enabled() {
        return engine.sharedLog().isPresent();
    }

    /**
     * @param principal the RESUME token's principal for a plain session (must be the checkpoint's), or
     *                  null for an app key (the lifecycle checks the app session afterwards)
     */
    CompletionStage<Result> adopt(String sessionId, long clientSeq, Principal principal) {
        SharedLog log = engine.sharedLog().orElseThrow();
        return log.checkpoint(sessionId).thenCompose(stored -> {
            List<SessionCheckpoint> all = stored.map(b -> SessionCheckpoint.decodeAll(json, b)).orElse(List.of()).stream()
                    .filter(c -> sessionId.equals(c.sessionId())).toList();
            if (all.isEmpty()) {
                return done(new Result.Refused("unknown", "unknown session"));
            }
            SessionCheckpoint newest = all.get(all.size() - 1);
            SessionCheckpoint cp = SessionCheckpoint.newestAtOrBefore(all, clientSeq).orElse(newest);
            if (principal != null ? cp.app() != null || !principal.id().equals(cp.principalId()) : cp.app() == null) {
                return done(new Result.Refused("other_principal", "unknown session"));
            }
            if (clientSeq < cp.seq()) {
                return done(gap(clientSeq, cp.seq() + 1));
            }
            return catchUp(log, cp, all, cp.position(), new ArrayList<>(), clientSeq, principal, 0);
        }).exceptionally(err -> {
            LOG.debugf("rebuilding session %s failed: %s", sessionId, err.toString());
            return new Result.Refused(UNAVAILABLE, "session history unavailable");
        });
    }

    /** Reads the log after {@code from} to its end, then tries to register at the hub's position. */
    private CompletionStage<Result> catchUp(SharedLog log, SessionCheckpoint cp, List<SessionCheckpoint> all, LogPosition from,
                                            List<SessionHistory.Positioned> read, long clientSeq, Principal principal, int round) {
        if (round > MAX_ROUNDS) {
            return done(new Result.Refused(UNAVAILABLE, "session history could not be caught up"));
        }
        return log.readAfter(from, READ_BATCH).thenCompose(r -> {
            if (r instanceof SharedLog.LogRead.OtherEpoch) {
                return done(new Result.Refused("epoch", "history epoch changed; start a new session"));
            }
            if (r instanceof SharedLog.LogRead.Trimmed) {
                return done(gap(clientSeq, -1));
            }
            SharedLog.LogRead.Records records = (SharedLog.LogRead.Records) r;
            for (SharedLog.LogRecord rec : records.records()) {
                read.add(new SessionHistory.Positioned(rec.position(), decode(rec.body())));
            }
            LogPosition end = read.isEmpty() ? cp.position() : read.get(read.size() - 1).position();
            if (records.more()) {
                return catchUp(log, cp, all, end, read, clientSeq, principal, round + 1);
            }
            return register(cp, all, end, read, clientSeq, principal).thenCompose(outcome -> outcome == null
                    ? later().thenCompose(x -> catchUp(log, cp, all, end, read, clientSeq, principal, round + 1))
                    : done(outcome));
        });
    }

    /**
     * On the hub thread: rebuild up to exactly the hub's position and register. Null when the hub and
     * the read disagree (the hub is behind the checkpoint, or ahead of what was read): read more, retry.
     */
    private CompletionStage<Result> register(SessionCheckpoint cp, List<SessionCheckpoint> all, LogPosition readUpTo, List<SessionHistory.Positioned> read,
                                             long clientSeq, Principal principal) {
        CompletableFuture<Result> out = new CompletableFuture<>();
        hub.inOrder(() -> {
            LogPosition at = hub.position();
            if (at == null || !at.sameEpoch(cp.position())) {
                out.complete(at == null ? null : new Result.Refused("epoch", "history epoch changed; start a new session"));
                return;
            }
            if (at.compareTo(cp.position()) < 0 || at.compareTo(readUpTo) > 0) {
                out.complete(null);
                return;
            }
            GatewaySession existing = registry.session(cp.sessionId());
            if (existing != null) {
                out.complete(new Result.Adopted(existing));
                return;
            }
            List<SessionHistory.Positioned> upTo = read.stream().filter(p -> p.position().compareTo(at) <= 0).toList();
            SessionHistory.Rebuilt rebuilt = SessionHistory.replay(cp, upTo, type -> intents.covers(cp.intents(), type));
            Principal who = cp.app() != null ? AppPrincipal.of(cp.app()) : principal;
            GatewaySession s = GatewaySession.rebuilt(cp.sessionId(), who, cp.intents(), intents, metrics.lostWhileParked(),
                    cp.app(), config.replay().maxEvents(), config.replay().maxBytes(), cp.seq(), rebuilt.topics(),
                    rebuilt.events(), clientSeq);
            registry.addSession(s);
            hub.register(s, rebuilt.topics());
            checkpoints.registered(s, all);
            out.complete(new Result.Adopted(s));
        }).whenComplete((ok, err) -> {
            if (err != null) {
                out.completeExceptionally(err);
            }
        });
        return out.thenApply(r -> {
            if (r instanceof Result.Adopted a) {
                engine.append(new FeedEntry.Takeover(a.session().id(), node)).whenComplete((ok, err) -> {
                    if (err != null) {
                        LOG.debugf("takeover of %s not announced: %s", a.session().id(), err.toString());
                    }
                });
            }
            return r;
        });
    }

    private FeedEntry decode(String body) {
        try {
            return codec.decode(body);
        } catch (FeedCodec.Undecodable e) {
            return new FeedEntry.Mark("undecodable");
        }
    }

    private static Result gap(long clientSeq, long firstRetained) {
        return new Result.Refused("gap", "events after seq " + clientSeq + " are no longer retained"
                + (firstRetained > 0 ? " (oldest is " + firstRetained + ")" : ""));
    }

    private static CompletionStage<Result> done(Result r) {
        return CompletableFuture.completedFuture(r);
    }

    private static CompletionStage<Void> later() {
        Executor delayed = CompletableFuture.delayedExecutor(BEHIND_RETRY_MS, TimeUnit.MILLISECONDS);
        return CompletableFuture.runAsync(() -> { }, delayed);
    }
}
