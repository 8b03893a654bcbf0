package io.appmanager.apps;

import io.appmanager.apps.persistence.AppRecord;
import io.vertx.core.json.JsonObject;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.EnumMap;
import java.util.Map;

/** Between the stored {@link AppRecord} and what the service works with: overrides, the effective policy, {@link App}. */
final class AppRecords {

    private static final Logger LOG = Logger.getLogger(AppRecords.class);

    private AppRecords() {
    }

    /** The app's overrides: reconnect grace from its own column, the rest from the jsonb object. */
    static Map<PolicyField, Long> overrides(AppRecord r) {
        Map<PolicyField, Long> out = new EnumMap<>(PolicyField.class);
        if (r.reconnectGraceMs != null) {
            out.put(PolicyField.RECONNECT_GRACE, r.reconnectGraceMs);
        }
        JsonObject stored = r.policyOverrides == null ? new JsonObject() : r.policyOverrides;
        for (PolicyField f : PolicyField.values()) {
            if (f != PolicyField.RECONNECT_GRACE && stored.getValue(f.json) instanceof Number n) {
                out.put(f, n.longValue());
            }
        }
        return out;
    }

    static void setOverrides(AppRecord r, Map<PolicyField, Long> overrides) {
        r.reconnectGraceMs = overrides.get(PolicyField.RECONNECT_GRACE);
        JsonObject stored = new JsonObject();
        overrides.forEach((f, v) -> {
            if (f != PolicyField.RECONNECT_GRACE) {
                stored.put(f.json, v);
            }
        });
        r.policyOverrides = stored;
    }

    /**
     * The global policy with the app's overrides. Overrides were checked against the global policy
     * when they were set; if an operator has since changed it so that they no longer fit (say a
     * global base delay above an app's max delay), the app runs on the global policy, with a warning,
     * rather than not at all.
     */
    static LifecyclePolicy effectivePolicy(AppRecord r, LifecyclePolicy defaults) {
        try {
            return PolicyField.merge(defaults, overrides(r));
        } catch (IllegalArgumentException e) {
            LOG.warnf("app %s: its policy overrides no longer fit the global policy (%s); it runs on the global "
                    + "policy until its overrides are changed", r.packageName, e.getMessage());
            return defaults;
        }
    }

    static App app(AppRecord r, LifecyclePolicy defaults) {
        return new App(r.packageName, URI.create(r.webhookUrl), effectivePolicy(r, defaults));
    }
}
