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
    /** Checkpoints per round trip: big enough for 10k sessions in a few trips, small enough not to stall Redis. */
    private static final int BATCH = 500;

    private final FanoutEngine engine;
    private final Hub hub;
    private final ObjectMapper json;
    private final GatewayConfig config;
    private final Vertx vertx;
    /** Hub thread only: the seq last written per session and when (nanos). */
    private final Map<String, long[]> written = new HashMap<>();

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

    /** Hub thread: the session was just registered here (created or rebuilt). */
    void registered(GatewaySession s) {
        engine.sharedLog().ifPresent(log -> {
            SessionCheckpoint cp = snapshot(s);
            if (cp != null) {
                save(log, List.of(cp));
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
        List<SessionCheckpoint> due = new ArrayList<>();
        for (Subscriber sub : hub.subscribers()) {
            if (!(sub instanceof GatewaySession s) || s.isEnded()) {
                continue;
            }
            long[] last = written.get(s.id());
            if (last == null || last[0] != s.lastSeq() || now - last[1] > refreshAfter) {
                SessionCheckpoint cp = snapshot(s);
                if (cp != null) {
                    due.add(cp);
                }
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

    private void save(SharedLog log, List<SessionCheckpoint> cps) {
        long now = System.nanoTime();
        List<SharedLog.CheckpointWrite> writes = new ArrayList<>(cps.size());
        for (SessionCheckpoint cp : cps) {
            writes.add(new SharedLog.CheckpointWrite(cp.sessionId(), cp.seq(), cp.encode(json)));
            written.put(cp.sessionId(), new long[]{cp.seq(), now});
        }
        log.saveCheckpoints(writes, ttl()).whenComplete((ok, err) -> {
            if (err != null) {
                LOG.debugf("%d checkpoints not written, retried on the next sweep: %s", cps.size(), err.toString());
                hub.inOrder(() -> cps.forEach(cp -> written.remove(cp.sessionId())));
            }
        });
    }
}
