package io.appmanager.apps.persistence;

import io.appmanager.apps.AppSessionSnapshot;
import io.appmanager.apps.AppSessionState;
import io.appmanager.apps.LifecycleEffect.TimerKind;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One app session as stored: the lifecycle snapshot plus what the caller of the lifecycle keeps
 * (timer slot, reconnect token hash, subscriptions, pending correlation ids, owner). Only
 * {@code AppSessions} writes it, under a row lock, one event at a time.
 */
@Entity
@Table(name = "app_sessions")
public class AppSessionRecord extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "package_name", nullable = false)
    public String packageName;

    @Column(name = "user_session_id", nullable = false)
    public String userSessionId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public AppSessionState state;

    @Column(nullable = false)
    public long generation;

    @Column(name = "resurrection_attempts", nullable = false)
    public int resurrectionAttempts;

    @Column(name = "webhook_accepted", nullable = false)
    public boolean webhookAccepted;

    @Column(name = "dropped_at")
    public Instant droppedAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "timer_kind")
    public TimerKind timerKind;

    @Column(name = "timer_at")
    public Instant timerAt;

    @Column(name = "reconnect_token_hash")
    public String reconnectTokenHash;

    @Column(name = "subscriptions", nullable = false, columnDefinition = "text[]")
    public String[] subscriptions = new String[0];

    /** Correlation id -> when it expires (epoch ms). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "pending_correlations", nullable = false)
    public Map<String, Long> pendingCorrelations = new LinkedHashMap<>();

    /** The ids the last DropPendingCorrelations removed, so the platform can be told after the fact too. */
    @Column(name = "dropped_correlations", nullable = false, columnDefinition = "text[]")
    public String[] droppedCorrelations = new String[0];

    @Column(name = "owner_node")
    public String ownerNode;

    @Column(name = "stop_reason")
    public String stopReason;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public AppSessionSnapshot snapshot() {
        return new AppSessionSnapshot(state, generation, resurrectionAttempts, droppedAt, webhookAccepted);
    }

    public void apply(AppSessionSnapshot s) {
        state = s.state();
        generation = s.generation();
        resurrectionAttempts = s.resurrectionAttempts();
        droppedAt = s.droppedAt();
        webhookAccepted = s.webhookAccepted();
    }
}
