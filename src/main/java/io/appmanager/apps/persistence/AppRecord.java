package io.appmanager.apps.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** A registered app ("package"): where its webhook is and the hashes of its credentials. */
@Entity
@Table(name = "apps")
public class AppRecord extends PanacheEntityBase {

    @Id
    @Column(name = "package_name")
    public String packageName;

    @Column(name = "webhook_url", nullable = false)
    public String webhookUrl;

    /** Only the hash is kept; the key itself is shown once, at registration. */
    @Column(name = "api_key_hash", nullable = false)
    public String apiKeyHash;

    @Column(name = "webhook_secret_hash", nullable = false)
    public String webhookSecretHash;

    @Column(name = "reconnect_grace_ms")
    public Long reconnectGraceMs;

    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;
}
