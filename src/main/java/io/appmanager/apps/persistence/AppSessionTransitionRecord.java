package io.appmanager.apps.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One applied lifecycle event: append-only, the session's history for admins and the dashboard. */
@Entity
@Table(name = "app_session_transitions")
public class AppSessionTransitionRecord extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "app_session_id", nullable = false)
    public UUID appSessionId;

    @Column(nullable = false)
    public Instant at;

    @Column(name = "from_state")
    public String fromState;

    @Column(name = "to_state", nullable = false)
    public String toState;

    @Column(nullable = false)
    public String event;

    /** The event's own fields and the effects carried out, for a human reading the history. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> detail;

    public String node;
}
