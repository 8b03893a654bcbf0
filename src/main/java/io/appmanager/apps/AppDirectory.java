package io.appmanager.apps;

import io.appmanager.apps.persistence.AppRecord;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Registered apps as the rest of the service looks them up (the gateway authenticating an SDK, the
 * webhook dispatcher signing a request). Read only; the admin API changes apps through {@link AppRegistry}.
 *
 * <p>Call from a Vert.x context (an event loop or a duplicated context, as REST handlers, WebSocket
 * callbacks and {@code VertxContextSupport} provide). Each method opens its own Hibernate Reactive
 * session when there is none, and joins the caller's when there is one: {@code Panache.withSession}
 * reuses the session of the current context, so inside a caller's {@code Panache.withTransaction}
 * the lookup sees that transaction's state.
 */
@ApplicationScoped
public class AppDirectory {

    /** Compared against when the package is unknown, so an unknown package costs what a wrong key costs. */
    private static final String NO_SUCH_KEY_HASH = AppCredentials.hash("no app has this key");

    private final AppsSettings settings;

    public AppDirectory(AppsSettings settings) {
        this.settings = settings;
    }

    /** The app, with its effective (global defaults merged with overrides) policy. */
    public Uni<Optional<App>> find(String packageName) {
        return record(packageName).map(r -> Optional.ofNullable(r).map(this::app));
    }

    /**
     * The app if the API key is its current key; empty when the package is unknown or the key is
     * wrong (same answer, so keys cannot be probed per package).
     */
    public Uni<Optional<App>> authenticate(String packageName, String apiKey) {
        return record(packageName).map(r -> {
            boolean matches = AppCredentials.matches(apiKey, r == null ? NO_SUCH_KEY_HASH : r.apiKeyHash);
            return r != null && matches ? Optional.of(app(r)) : Optional.<App>empty();
        });
    }

    /**
     * The unsealed webhook signing secret (bytes of the whsec_ string, UTF-8); fails if the app is
     * unknown ({@link NoSuchElementException}) or its secret cannot be unsealed ({@link IllegalStateException}:
     * the sealing key changed; rotating the secret repairs it).
     */
    public Uni<byte[]> webhookSecret(String packageName) {
        return record(packageName)
                .onItem().ifNull().failWith(() -> new NoSuchElementException("no app named " + packageName))
                .map(r -> settings.credentials().unseal(r.webhookSecretSealed, r.packageName).getBytes(StandardCharsets.UTF_8));
    }

    /** The global policy from AppsConfig. */
    public LifecyclePolicy defaults() {
        return settings.defaults();
    }

    /** The stored app, or null; a name that cannot be registered is not looked up. */
    private static Uni<AppRecord> record(String packageName) {
        if (!App.isValidPackageName(packageName)) {
            return Uni.createFrom().nullItem();
        }
        return Panache.withSession(() -> AppRecord.<AppRecord>findById(packageName));
    }

    private App app(AppRecord r) {
        return AppRecords.app(r, settings.defaults());
    }
}
