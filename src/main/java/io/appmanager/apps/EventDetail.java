package io.appmanager.apps;

import java.util.LinkedHashMap;
import java.util.Map;

/** How events and effects read in the transition history: plain words and numbers, no objects. */
final class EventDetail {

    private EventDetail() {
    }

    static Map<String, Object> of(LifecycleEvent e) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (e instanceof LifecycleEvent.SdkAttached a) {
            d.put("path", a.path().name());
            d.put("socket_already_live", a.socketAlreadyLive());
        } else if (e instanceof LifecycleEvent.WebhookFailed f) {
            d.put("reason", f.reason());
        } else if (e instanceof LifecycleEvent.CircuitOpen c) {
            d.put("retry_after_ms", c.retryAfter().toMillis());
        } else if (e instanceof LifecycleEvent.StopRequested s) {
            d.put("reason", s.reason());
        }
        return d;
    }

    /**
     * The numbers the stats API reads back out of the history (docs/api.md, "Stats"): whether an attach
     * was a reconnect attempt, a reconnect's path and latency, resurrection outcomes, false resurrections.
     * Kept as plain JSON fields so one indexed query over a time window computes every rate, on any node.
     */
    static Map<String, Object> measures(LifecycleEvent e, Transition t) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (e instanceof LifecycleEvent.SdkAttached a && a.path() != AttachPath.NEW_INSTANCE) {
            d.put("reconnect_attempt", true);
        }
        java.util.List<String> resurrections = new java.util.ArrayList<>();
        for (LifecycleEffect effect : t.effects()) {
            if (effect instanceof LifecycleEffect.RecordReconnect r) {
                // a NEW_INSTANCE taken as a reconnect is an attempt too, recorded as INFERRED
                d.put("reconnect_attempt", true);
                d.put("reconnect_path", r.path().name());
                d.put("reconnect_latency_ms", Math.max(0, r.latency().toMillis()));
            } else if (effect instanceof LifecycleEffect.RecordResurrection r) {
                resurrections.add(r.outcome().name());
            } else if (effect instanceof LifecycleEffect.RecordFalseResurrection) {
                d.put("false_resurrection", true);
            }
        }
        if (!resurrections.isEmpty()) {
            d.put("resurrections", resurrections);
        }
        return d;
    }

    static String describe(LifecycleEffect e) {
        if (e instanceof LifecycleEffect.ScheduleTimer t) {
            return "ScheduleTimer(" + t.kind() + " at " + t.at() + ")";
        }
        if (e instanceof LifecycleEffect.CallWebhook w) {
            return "CallWebhook(" + w.kind() + ", attempt " + w.attempt() + ")";
        }
        if (e instanceof LifecycleEffect.CloseSocket c) {
            return "CloseSocket(" + c.code() + ")";
        }
        if (e instanceof LifecycleEffect.RefuseConnection c) {
            return "RefuseConnection(" + c.code() + ")";
        }
        if (e instanceof LifecycleEffect.RecordReconnect r) {
            return "RecordReconnect(" + r.path() + ", " + r.latency().toMillis() + " ms)";
        }
        if (e instanceof LifecycleEffect.RecordResurrection r) {
            return "RecordResurrection(" + r.outcome() + ")";
        }
        return e.getClass().getSimpleName();
    }
}
