package io.appmanager.apps;

import io.appmanager.apps.persistence.AppRecord;
import io.appmanager.platform.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * The write side of the app registry, behind the admin API: every method is one transaction of its
 * own (or joins the caller's) and fails with an {@link ApiException} the API answers with.
 * Changes of one app are serialised by a row lock, so concurrent PATCHes and rotations do not
 * overwrite each other's fields.
 */
@ApplicationScoped
public class AppRegistry {

    /** PostgreSQL's unique_violation: two registrations of one package raced past the existence check. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final AppsSettings settings;
    private final AppSockets sockets;

    public AppRegistry(AppsSettings settings, AppSockets sockets) {
        this.sockets = sockets;
        this.settings = settings;
    }

    public Uni<AppView> register(AppRequests.Registration r) {
        AppRequests.effective(settings.defaults(), r.overrides(), r.overrides().keySet());
        AppCredentials credentials = settings.credentials();
        String apiKey = credentials.newApiKey();
        String webhookSecret = credentials.newWebhookSecret();
        AppRecord app = new AppRecord();
        app.packageName = r.packageName();
        app.webhookUrl = r.webhookUrl().toString();
        app.apiKeyHash = AppCredentials.hash(apiKey);
        app.apiKeyPrefix = AppCredentials.prefix(apiKey);
        app.webhookSecretSealed = credentials.seal(webhookSecret, r.packageName());
        AppRecords.setOverrides(app, r.overrides());
        app.createdAt = now();
        app.updatedAt = app.createdAt;
        return Panache.withTransaction(() -> refuseIfTaken(app.packageName).chain(app::<AppRecord>persist))
                .onFailure(AppRegistry::isUniqueViolation).transform(e -> taken(app.packageName))
                .map(saved -> view(saved).withCredentials(apiKey, webhookSecret));
    }

    public Uni<AppView> get(String packageName) {
        return Panache.withSession(() -> existing(packageName, LockModeType.NONE)).map(this::view);
    }

    public Uni<AppView.Page> list(int limit, String after) {
        // one row more than asked tells whether another page follows
        Uni<List<AppRecord>> rows = Panache.withSession(() -> AppRecord.<AppRecord>find("packageName > ?1",
                Sort.by("packageName"), after == null ? "" : after).range(0, limit).list());
        return rows.map(found -> page(found, limit));
    }

    public Uni<AppView> change(String packageName, AppRequests.Changes changes) {
        return Panache.withTransaction(() -> existing(packageName, LockModeType.PESSIMISTIC_WRITE)
                .invoke(app -> apply(app, changes))).map(this::view);
    }

    /**
     * Deletes the app and (cascade) its sessions. The SDK sockets of its live sessions on this node are
     * closed with 4017 after the commit: an app that no longer exists has nothing to reconnect to.
     */
    public Uni<Void> delete(String packageName) {
        return Panache.withTransaction(() -> io.appmanager.apps.persistence.AppSessionRecord
                        .<io.appmanager.apps.persistence.AppSessionRecord>find("packageName = ?1 and state not in ?2",
                                packageName, java.util.List.of(AppSessionState.STOPPED, AppSessionState.EVICTED))
                        .project(SessionId.class).list()
                        .chain(live -> AppRecord.deleteById(packageName)
                                .map(deleted -> deleted ? live : null)))
                .chain(live -> {
                    if (live == null) {
                        return Uni.createFrom().failure(unknown(packageName));
                    }
                    // the app is gone: every socket of its sessions, whatever generation, wherever it is
                    live.forEach(s -> sockets.close(s.id, Long.MAX_VALUE, AppCloseCodes.STOPPED, "app deleted"));
                    return Uni.createFrom().voidItem();
                });
    }

    /** Just the id of a session, for the sockets to close after a delete. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public static class SessionId {
        public final java.util.UUID id;

        public SessionId(java.util.UUID id) {
            this.id = id;
        }
    }

    /** A new API key; the old one stops working when this commits. */
    public Uni<AppView.RotatedKey> rotateKey(String packageName) {
        String apiKey = settings.credentials().newApiKey();
        return Panache.withTransaction(() -> existing(packageName, LockModeType.PESSIMISTIC_WRITE).invoke(app -> {
            app.apiKeyHash = AppCredentials.hash(apiKey);
            app.apiKeyPrefix = AppCredentials.prefix(apiKey);
            app.updatedAt = now();
        })).map(app -> new AppView.RotatedKey(app.packageName, apiKey, app.apiKeyPrefix));
    }

    /** A new webhook secret; webhooks are signed with it from the moment this commits. */
    public Uni<AppView.RotatedWebhookSecret> rotateWebhookSecret(String packageName) {
        String secret = settings.credentials().newWebhookSecret();
        return Panache.withTransaction(() -> existing(packageName, LockModeType.PESSIMISTIC_WRITE).invoke(app -> {
            app.webhookSecretSealed = settings.credentials().seal(secret, app.packageName);
            app.updatedAt = now();
        })).map(app -> new AppView.RotatedWebhookSecret(app.packageName, secret));
    }

    private void apply(AppRecord app, AppRequests.Changes changes) {
        Map<PolicyField, Long> overrides = AppRecords.overrides(app);
        overrides.keySet().removeAll(changes.cleared());
        overrides.putAll(changes.set());
        AppRequests.effective(settings.defaults(), overrides, changes.touched());
        AppRecords.setOverrides(app, overrides);
        changes.webhookUrl().ifPresent(url -> app.webhookUrl = url.toString());
        app.updatedAt = now();
    }

    private AppView.Page page(List<AppRecord> found, int limit) {
        List<AppRecord> shown = found.size() > limit ? found.subList(0, limit) : found;
        String next = found.size() > limit ? shown.get(shown.size() - 1).packageName : null;
        return new AppView.Page(shown.stream().map(this::view).toList(), next);
    }

    private AppView view(AppRecord app) {
        return AppView.of(app, settings.defaults());
    }

    private static Uni<Void> refuseIfTaken(String packageName) {
        return AppRecord.<AppRecord>findById(packageName).onItem().ifNotNull().failWith(() -> taken(packageName))
                .replaceWithVoid();
    }

    private static Uni<AppRecord> existing(String packageName, LockModeType lock) {
        return AppRecord.<AppRecord>findById(packageName, lock).onItem().ifNull().failWith(() -> unknown(packageName));
    }

    private static ApiException taken(String packageName) {
        return ApiException.conflict("an app named " + packageName + " is already registered", "package_name");
    }

    private static ApiException unknown(String packageName) {
        return ApiException.notFound("no app named " + packageName);
    }

    private static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof io.vertx.pgclient.PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
                return true;
            }
            if (t instanceof org.hibernate.JDBCException jdbc && UNIQUE_VIOLATION.equals(jdbc.getSQLState())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** PostgreSQL keeps microseconds: truncating first makes the answer the same as a later read. */
    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
