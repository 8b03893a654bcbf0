package io.appmanager.apps;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * The seven numbers of a {@link LifecyclePolicy}, as the admin API ({@link #json}) and the
 * configuration ({@code appmanager.apps.lifecycle.}{@link #property}) name them, with the range the
 * API accepts for a per-app override. Durations are whole milliseconds on the API.
 *
 * <p>The ranges are wider than any sane setting and narrower than any mistake: below the minimum a
 * setting would either make reconnecting impossible or hammer a failing app server; above the
 * maximum a dead app would wait so long for resurrection that its users are better served by
 * eviction and an admin. Global defaults from configuration are held only to the policy's own rules.
 */
public enum PolicyField {

    /** Half a second is below any real reconnect (a round trip plus a handshake); 10 minutes is an outage. */
    RECONNECT_GRACE("reconnect_grace_ms", "reconnect-grace", "reconnectGrace", 500, 600_000),
    /** Same bounds as reconnect grace: it is the same wait, after our own restart. */
    RESTART_GRACE("restart_grace_ms", "restart-grace", "restartGrace", 500, 600_000),
    /** No app instance starts and connects within a second; 10 minutes covers the slowest pod start. */
    START_TIMEOUT("start_timeout_ms", "start-timeout", "startTimeout", 1_000, 600_000),
    /** At 100 attempts with a 1 h cap the horizon is days; past that, evict and let an admin decide. */
    MAX_ATTEMPTS("max_attempts", "max-attempts", "maxAttempts", 1, 100),
    /** Retries less than 100 ms apart would hammer an app server that is already failing. */
    BASE_DELAY("base_delay_ms", "base-delay", "baseDelay", 100, 600_000),
    /** An hour between attempts is the longest wait that still finds an app that came back the same day. */
    MAX_DELAY("max_delay_ms", "max-delay", "maxDelay", 100, 3_600_000),
    /** The policy needs it positive; 1 ms means "no spreading". 10 minutes spreads any herd. */
    FIRST_ATTEMPT_JITTER("first_attempt_jitter_ms", "first-attempt-jitter", "firstAttemptJitter", 1, 600_000);

    /** Name in the admin API's JSON. */
    public final String json;
    /** Name under {@code appmanager.apps.lifecycle.}. */
    public final String property;
    /** Name of the {@link LifecyclePolicy} component, as its constructor's messages name it. */
    final String component;
    public final long min;
    public final long max;

    PolicyField(String json, String property, String component, long min, long max) {
        this.json = json;
        this.property = property;
        this.component = component;
        this.min = min;
        this.max = max;
    }

    /** This field's value in {@code policy}: milliseconds, or the count for {@link #MAX_ATTEMPTS}. */
    public long of(LifecyclePolicy policy) {
        return switch (this) {
            case RECONNECT_GRACE -> policy.reconnectGrace().toMillis();
            case RESTART_GRACE -> policy.restartGrace().toMillis();
            case START_TIMEOUT -> policy.startTimeout().toMillis();
            case MAX_ATTEMPTS -> policy.maxAttempts();
            case BASE_DELAY -> policy.baseDelay().toMillis();
            case MAX_DELAY -> policy.maxDelay().toMillis();
            case FIRST_ATTEMPT_JITTER -> policy.firstAttemptJitter().toMillis();
        };
    }

    public static Optional<PolicyField> byJson(String json) {
        return Arrays.stream(values()).filter(f -> f.json.equals(json)).findFirst();
    }

    /**
     * {@code base} with the given fields replaced.
     *
     * @throws IllegalArgumentException as {@link LifecyclePolicy}'s constructor does; {@link #blamedBy} names the field
     */
    public static LifecyclePolicy merge(LifecyclePolicy base, Map<PolicyField, Long> overrides) {
        return new LifecyclePolicy(
                duration(overrides, RECONNECT_GRACE, base.reconnectGrace()),
                duration(overrides, RESTART_GRACE, base.restartGrace()),
                duration(overrides, START_TIMEOUT, base.startTimeout()),
                overrides.containsKey(MAX_ATTEMPTS) ? Math.toIntExact(overrides.get(MAX_ATTEMPTS)) : base.maxAttempts(),
                duration(overrides, BASE_DELAY, base.baseDelay()),
                duration(overrides, MAX_DELAY, base.maxDelay()),
                duration(overrides, FIRST_ATTEMPT_JITTER, base.firstAttemptJitter()));
    }

    /** The field a {@link LifecyclePolicy} constructor refusal is about: its message starts with the component name. */
    public static Optional<PolicyField> blamedBy(IllegalArgumentException refusal) {
        String m = String.valueOf(refusal.getMessage());
        return Arrays.stream(values()).filter(f -> m.startsWith(f.component + " ")).findFirst();
    }

    private static Duration duration(Map<PolicyField, Long> overrides, PolicyField field, Duration fallback) {
        Long ms = overrides.get(field);
        return ms == null ? fallback : Duration.ofMillis(ms);
    }
}
