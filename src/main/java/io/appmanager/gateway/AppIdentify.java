package io.appmanager.gateway;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An app SDK's IDENTIFY: {@code token: "Bot amk_..."} and {@code properties: {package_name,
 * user_session_id, reconnect?, reconnect_token?}}. Pure: either every property is well-formed or
 * the name of the first bad one comes back, and nothing is decided on half a claim.
 */
final class AppIdentify {

    /** Same rule as registration: what a package name can be. */
    static final Pattern PACKAGE = Pattern.compile("[a-z0-9._-]{3,128}");
    /**
     * Topic-safe (it becomes part of {@code us.<id>}) and short enough that {@code us.<id>.*} stays
     * within the 128-character topic limit.
     */
    static final Pattern USER_SESSION = Pattern.compile("[A-Za-z0-9_.:@-]{1,100}");
    private static final String KEY_PREFIX = "amk_";

    record Claim(String packageName, String apiKey, String userSessionId, boolean hint, Optional<String> reconnectToken) {
    }

    private AppIdentify() {
    }

    /** An app key rather than a user token: AccordKit prefixes a bot's token with "Bot ". */
    static boolean isAppKey(String presented) {
        return presented != null && key(presented).startsWith(KEY_PREFIX);
    }

    static Payloads.Parsed<Claim> parse(String presented, JsonNode properties) {
        if (properties == null || !properties.isObject()) {
            return Payloads.Parsed.bad("IDENTIFY with an app key needs data.properties with package_name and user_session_id");
        }
        JsonNode pkg = properties.get("package_name");
        if (pkg == null || !pkg.isTextual() || !PACKAGE.matcher(pkg.textValue()).matches()) {
            return Payloads.Parsed.bad("IDENTIFY data.properties.package_name must match " + PACKAGE.pattern());
        }
        JsonNode us = properties.get("user_session_id");
        if (us == null || !us.isTextual() || !USER_SESSION.matcher(us.textValue()).matches()) {
            return Payloads.Parsed.bad("IDENTIFY data.properties.user_session_id must match " + USER_SESSION.pattern());
        }
        JsonNode hint = properties.get("reconnect");
        if (hint != null && !hint.isNull() && !hint.isBoolean()) {
            return Payloads.Parsed.bad("IDENTIFY data.properties.reconnect must be a boolean");
        }
        JsonNode token = properties.get("reconnect_token");
        if (token != null && !token.isNull() && !token.isTextual()) {
            return Payloads.Parsed.bad("IDENTIFY data.properties.reconnect_token must be a string");
        }
        return Payloads.Parsed.ok(new Claim(pkg.textValue(), key(presented), us.textValue(),
                hint != null && hint.asBoolean(false),
                token == null || token.isNull() ? Optional.empty() : Optional.of(token.textValue())));
    }

    static String key(String presented) {
        String t = presented.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.startsWith("bot ")) {
            return t.substring(4).strip();
        }
        if (lower.startsWith("bearer ")) {
            return t.substring(7).strip();
        }
        return t;
    }
}
