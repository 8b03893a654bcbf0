package io.appmanager.apps;

import io.appmanager.apps.persistence.AppSessionRecord;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An app session as read after a commit: immutable, safe to hand to another thread or to JSON. */
public record AppSessionView(UUID id, String packageName, String userSessionId, AppSessionState state, long generation,
                             int resurrectionAttempts, Instant droppedAt, boolean webhookAccepted,
                             LifecycleEffect.TimerKind timerKind, Instant timerAt, List<String> subscriptions,
                             List<String> pendingCorrelations, String ownerNode, String stopReason,
                             Instant createdAt, Instant updatedAt) {

    public static AppSessionView of(AppSessionRecord r) {
        return new AppSessionView(r.id, r.packageName, r.userSessionId, r.state, r.generation, r.resurrectionAttempts,
                r.droppedAt, r.webhookAccepted, r.timerKind, r.timerAt, List.of(r.subscriptions),
                List.copyOf(r.pendingCorrelations.keySet()), r.ownerNode, r.stopReason, r.createdAt, r.updatedAt);
    }
}
