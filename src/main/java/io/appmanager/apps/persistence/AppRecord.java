package io.appmanager.apps.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.vertx.core.json.JsonObject;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/**
 * A registered app ("package"): where its webhook is, its lifecycle overrides, and its credentials
 * as stored: the API key hashed, the webhook secret sealed (docs/decisions/0008-app-credentials.md).
 */
@Entity
@Table(name = "apps")
public class AppRecord extends PanacheEntityBase {

    @Id
    @Column(name = "package_name")
    public String packageName;

    @Column(name = "webhook_url", nullable = false)
    public String webhookUrl;

    /** SHA-256 (hex) of the API key; the key itself is shown once, when made. */
    @Column(name = "api_key_hash", nullable = false)
    public String apiKeyHash;

    /** The key's first characters, so operators can tell keys apart. */
    @Column(name = "api_key_prefix", nullable = false)
    public String apiKeyPrefix;

    /** The webhook signing secret, sealed with appmanager.apps.secret-key. */
    @Column(name = "webhook_secret_sealed", nullable = false)
    public String webhookSecretSealed;

    /** Per-app reconnect grace; null: the global default. */
    @Column(name = "reconnect_grace_ms")
    public Long reconnectGraceMs;

    /**
     * Per-app overrides of the rest of the lifecycle policy, keyed by the admin API's names
     * ({@code max_attempts}, {@code base_delay_ms}, ...); a field absent here takes the global default.
     * A Vert.x JsonObject is the type Hibernate Reactive maps to jsonb natively.
     */
    @Column(name = "policy_overrides", nullable = false)
    public JsonObject policyOverrides = new JsonObject();

    @Column(name = "created_at", nullable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
