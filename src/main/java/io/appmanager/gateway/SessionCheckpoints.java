package io.appmanager.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.appmanager.fanout.FanoutEngine;
import io.appmanager.fanout.Hub;
import io.appmanager.fanout.LogPosition;
import io.appmanager.fanout.SharedLog;
import io.appmanager.fanout.Subscriber;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the checkpoints other nodes rebuild this node's sessions from (multi-node engine only): at
 * registration, and then every {@code checkpoint-interval} for sessions whose seq moved or whose
 * checkpoint is getting old. Snapshots are taken on the hub thread, so a checkpoint's seq is exactly
 * the seq at its log position. Ended sessions' checkpoints are deleted; sessions another node took
 * over are left to that node.
 */
@ApplicationScoped
public class SessionCheckpoints {

    private static final Logger LOG = Logger.getLogger(SessionCheckpoints.class);
    /** Sessions per round trip: big enough for 10k sessions in a few trips, small enough not to stall Redis. */
    private static final int BATCH = 500;
    /**
     * Checkpoints kept per session, one per interval while its seq moves: six cover a client that received
     * up to ~12 s (at the 2 s default) less than the holding node had queued for it when it went away.
     */
    static final int KEPT = 6;

    /** What was last written for a session: its checkpoints, oldest first, and when (nanos). */
    private record Written(List<SessionCheckpoint> checkpoints, long at) {
        long newestSeq() {
            return checkpoints.get(checkpoints.size() - 1).seq();
        }
    }

    private final FanoutEngine engine;
    private final Hub hub;
    private final ObjectMapper json;
    private final GatewayConfig config;
    private final Vertx vertx;
    /** Hub thread only. */
    private final Map<String, Written> written = new HashMap<>();

    public SessionCheckpoints(FanoutEngine engine, Hub hub, ObjectMapper json, GatewayConfig config, Vertx vertx) {
        this.engine = engine;
        this.hub = hub;
        this.json = json;
        this.config = config;
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent e) {
        if (engine.sharedLog().isEmpty()) {
            return;
        }
        // a new epoch means the log lost what the old checkpoints pointed into: write every session afresh
        hub.onEpochChange(written::clear);
        vertx.setPeriodic(config.checkpointInterval().toMillis(), id -> hub.inOrder(this::sweep));
    }

    /** A checkpoint's life: the resume window, plus room for the writes that keep a live session's fresh. */
    private Duration ttl() {
        return config.resumeWindow().plus(config.checkpointInterval().multipliedBy(3));
    }

    /** Hub thread: the session was just created here. */
    void registered(GatewaySession s) {
        registered(s, List.of());
    }

    /**
     * Hub thread: the session was just registered here, rebuilt from {@code inherited} (the checkpoints
     * another node wrote; they stay true, the history being the same on every node).
     */
    void registered(GatewaySession s, List<SessionCheckpoint> inherited) {
        engine.sharedLog().ifPresent(log -> {
            SessionCheckpoint cp = snapshot(s);
            if (cp != null) {
                List<SessionCheckpoint> list = new ArrayList<>();
                inherited.stream().filter(old -> old.position().sameEpoch(cp.position()) && old.seq() < cp.seq()).forEach(list::add);
                list.add(cp);
                save(log, List.of(kept(list)));
            }
        });
    }

    /** The session ended for good: nobody may resume it anywhere. */
    void ended(GatewaySession s) {
        engine.sharedLog().ifPresent(log -> {
            log.deleteCheckpoint(s.id()).whenComplete((ok, err) -> {
                if (err != null) {
                    LOG.debugf("checkpoint of %s not deleted (it expires): %s", s.id(), err.toString());
                }
            });
            hub.inOrder(() -> written.remove(s.id()));
        });
    }

    /** The session moved to another node, which writes its checkpoints from now on. */
    void handedOver(GatewaySession s) {
        hub.inOrder(() -> written.remove(s.id()));
    }

    private void sweep() {
        SharedLog log = engine.sharedLog().orElseThrow();
        if (!log.available()) {
            return;
        }
        long now = System.nanoTime();
        long refreshAfter = ttl().toNanos() / 3;
        List<List<SessionCheckpoint>> due = new ArrayList<>();
        for (Subscriber sub : hub.subscribers()) {
            if (!(sub instanceof GatewaySession s) || s.isEnded()) {
                continue;
            }
            Written last = written.get(s.id());
            if (last == null) {
                SessionCheckpoint cp = snapshot(s);
                if (cp != null) {
                    due.add(List.of(cp));
                }
            } else if (!s.isParked() && s.lastSeq() != last.newestSeq()) {
                // a parked session keeps collecting events its client never got: its checkpoints stay
                // where they were, or the newest could be ahead of every client position
                SessionCheckpoint cp = snapshot(s);
                if (cp != null) {
                    List<SessionCheckpoint> list = new ArrayList<>(last.checkpoints());
                    list.add(cp);
                    due.add(kept(list));
                }
            } else if (now - last.at() > refreshAfter) {
                due.add(last.checkpoints());
            }
        }
        for (int i = 0; i < due.size(); i += BATCH) {
            save(log, due.subList(i, Math.min(due.size(), i + BATCH)));
        }
    }

    /** Hub thread. Null until the hub has a position (nothing applied yet). */
    private SessionCheckpoint snapshot(GatewaySession s) {
        LogPosition at = hub.position();
        if (at == null) {
            return null;
        }
        return new SessionCheckpoint(s.id(), s.principal().id(), s.intents(), hub.topicsOf(s.id()), s.lastSeq(), at, s.app());
    }

    private static List<SessionCheckpoint> kept(List<SessionCheckpoint> list) {
        return List.copyOf(list.subList(Math.max(0, list.size() - KEPT), list.size()));
    }

    /** Hub thread: each element is one session's checkpoints, oldest first. */
    private void save(SharedLog log, List<List<SessionCheckpoint>> sessions) {
        long now = System.nanoTime();
        List<SharedLog.CheckpointWrite> writes = new ArrayList<>(sessions.size());
        for (List<SessionCheckpoint> list : sessions) {
            Written w = new Written(list, now);
            String id = list.get(0).sessionId();
            writes.add(new SharedLog.CheckpointWrite(id, w.newestSeq(), SessionCheckpoint.encodeAll(json, list)));
            written.put(id, w);
        }
        log.saveCheckpoints(writes, ttl()).whenComplete((ok, err) -> {
            if (err != null) {
                LOG.debugf("%d sessions' checkpoints not written, retried on the next sweep: %s", writes.size(), err.toString());
                hub.inOrder(() -> writes.forEach(w -> written.remove(w.sessionId())));
            }
        });
    }
}
