package io.appmanager.apps;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.appmanager.apps.persistence.AppRecord;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An app as the admin API shows it: never a hash or a sealed value; the API key and webhook secret
 * only in the answer that made them ({@code api_key}, {@code webhook_secret}, otherwise absent).
 *
 * @param reconnect_grace_ms the effective reconnect grace
 * @param policy             the effective rest of the policy (global defaults merged with the overrides)
 * @param overrides          what this app sets itself, by the names the requests use; absent: the global default
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AppView(String package_name, String webhook_url, long reconnect_grace_ms, Map<String, Long> policy,
                      Map<String, Long> overrides, String api_key_prefix, String created_at, String updated_at,
                      String api_key, String webhook_secret) {

    static AppView of(AppRecord r, LifecyclePolicy defaults) {
        LifecyclePolicy effective = AppRecords.effectivePolicy(r, defaults);
        Map<String, Long> policy = new LinkedHashMap<>();
        for (PolicyField f : PolicyField.values()) {
            if (f != PolicyField.RECONNECT_GRACE) {
                policy.put(f.json, f.of(effective));
            }
        }
        Map<String, Long> overrides = new LinkedHashMap<>();
        AppRecords.overrides(r).forEach((f, v) -> overrides.put(f.json, v));
        return new AppView(r.packageName, r.webhookUrl, PolicyField.RECONNECT_GRACE.of(effective), policy, overrides,
                r.apiKeyPrefix, r.createdAt.toInstant().toString(), r.updatedAt.toInstant().toString(), null, null);
    }

    /** The same, carrying the credentials just made: the one time they are shown. */
    AppView withCredentials(String apiKey, String webhookSecret) {
        return new AppView(package_name, webhook_url, reconnect_grace_ms, policy, overrides, api_key_prefix, created_at,
                updated_at, apiKey, webhookSecret);
    }

    /** One page of {@code GET /api/v1/apps}; {@code next_after} is the {@code after} of the next page, null on the last. */
    public record Page(List<AppView> apps, String next_after) {
    }

    /** The answer to a key rotation: the new key, shown this once. */
    public record RotatedKey(String package_name, String api_key, String api_key_prefix) {
    }

    /** The answer to a webhook secret rotation: the new secret, shown this once. */
    public record RotatedWebhookSecret(String package_name, String webhook_secret) {
    }
}
