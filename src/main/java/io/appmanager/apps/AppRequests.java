package io.appmanager.apps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.appmanager.platform.ApiException;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checked bodies of the admin app API. Each parse either returns a complete request or throws an
 * {@link ApiException} naming the field at fault; it never guesses: unknown fields, a number given
 * as a string, a duplicate key or a policy name with a typo are refused, not ignored.
 */
final class AppRequests {

    /** A registration is a few hundred bytes; 16 KiB leaves room and keeps junk from being parsed at all. */
    static final int MAX_BODY_BYTES = 16 * 1024;
    /** Longer URLs are refused by many HTTP servers and proxies anyway. */
    static final int MAX_WEBHOOK_URL_CHARS = 2048;
    static final int DEFAULT_PAGE = 100;
    /** Keeps one answer well under a megabyte. */
    static final int MAX_PAGE = 500;

    private static final String PACKAGE_NAME = "package_name";
    private static final String WEBHOOK_URL = "webhook_url";
    private static final String POLICY = "policy";
    private static final Set<String> REGISTRATION_FIELDS =
            Set.of(PACKAGE_NAME, WEBHOOK_URL, PolicyField.RECONNECT_GRACE.json, POLICY);
    private static final Set<String> CHANGE_FIELDS = Set.of(WEBHOOK_URL, PolicyField.RECONNECT_GRACE.json, POLICY);

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private AppRequests() {
    }

    /** {@code POST /api/v1/apps}: the overrides are the fields given (a null one is the same as none). */
    record Registration(String packageName, URI webhookUrl, Map<PolicyField, Long> overrides) {
    }

    /**
     * {@code PATCH /api/v1/apps/{package}}.
     *
     * @param webhookUrl the new URL, or empty to keep it
     * @param set        overrides to set
     * @param cleared    overrides to remove (given as null): the app takes the global default again
     */
    record Changes(Optional<URI> webhookUrl, Map<PolicyField, Long> set, Set<PolicyField> cleared) {

        Set<PolicyField> touched() {
            Set<PolicyField> all = EnumSet.noneOf(PolicyField.class);
            all.addAll(set.keySet());
            all.addAll(cleared);
            return all;
        }
    }

    static Registration registration(byte[] body) {
        JsonNode json = object(body, REGISTRATION_FIELDS);
        JsonNode name = json.get(PACKAGE_NAME);
        if (name == null || !name.isTextual() || !App.isValidPackageName(name.textValue())) {
            throw ApiException.invalidField(PACKAGE_NAME, "package_name must be 3-128 characters of a-z, 0-9, '.', '_' "
                    + "and '-' (" + App.PACKAGE_NAME.pattern() + ")");
        }
        URI url = webhookUrl(json.get(WEBHOOK_URL));
        Map<PolicyField, Long> set = new EnumMap<>(PolicyField.class);
        readOverrides(json, set, EnumSet.noneOf(PolicyField.class));
        return new Registration(name.textValue(), url, set);
    }

    static Changes changes(byte[] body) {
        JsonNode json = object(body, CHANGE_FIELDS);
        if (json.isEmpty()) {
            throw ApiException.invalidField(null, "nothing to change: give webhook_url, reconnect_grace_ms or policy");
        }
        Optional<URI> url = json.has(WEBHOOK_URL) ? Optional.of(webhookUrl(json.get(WEBHOOK_URL))) : Optional.empty();
        Map<PolicyField, Long> set = new EnumMap<>(PolicyField.class);
        Set<PolicyField> cleared = EnumSet.noneOf(PolicyField.class);
        readOverrides(json, set, cleared);
        return new Changes(url, set, cleared);
    }

    /**
     * The policy {@code overrides} make of {@code defaults}.
     *
     * @param touched the fields this request gave: the refusal names one of them where it can
     */
    static LifecyclePolicy effective(LifecyclePolicy defaults, Map<PolicyField, Long> overrides, Set<PolicyField> touched) {
        try {
            return PolicyField.merge(defaults, overrides);
        } catch (IllegalArgumentException e) {
            // each field is in range by now, so this is the max_delay >= base_delay rule: name the one the request gave
            PolicyField blamed = PolicyField.blamedBy(e).orElse(PolicyField.MAX_DELAY);
            if (!touched.contains(blamed) && touched.contains(PolicyField.BASE_DELAY)) {
                blamed = PolicyField.BASE_DELAY;
            }
            throw ApiException.invalidField(fieldName(blamed), fieldName(blamed) + ": " + e.getMessage()
                    + " (the effective policy merges this app's overrides with the global defaults)");
        }
    }

    static int pageSize(String limit) {
        if (limit == null) {
            return DEFAULT_PAGE;
        }
        try {
            int n = Integer.parseInt(limit);
            if (n >= 1 && n <= MAX_PAGE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below, with the same words as an out-of-range number
        }
        throw ApiException.invalidField("limit", "limit must be a whole number from 1 to " + MAX_PAGE);
    }

    /** Where a policy field is in a request body: reconnect grace at the top, the others under {@code policy}. */
    static String fieldName(PolicyField f) {
        return f == PolicyField.RECONNECT_GRACE ? f.json : POLICY + "." + f.json;
    }

    private static JsonNode object(byte[] body, Set<String> fields) {
        if (body == null || body.length == 0) {
            throw ApiException.invalidField(null, "body must be a JSON object");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new ApiException(413, "body_too_large", "body is " + body.length + " bytes; the limit is "
                    + MAX_BODY_BYTES, null);
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "malformed_body", "request body is not valid JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw new ApiException(400, "malformed_body", "request body is not readable: " + e.getMessage(), null);
        }
        if (json == null || !json.isObject()) {
            throw ApiException.invalidField(null, "body must be a JSON object");
        }
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) {
                throw ApiException.invalidField(f, PACKAGE_NAME.equals(f)
                        ? "package_name cannot be changed; register a new app and delete this one"
                        : "unknown field " + f + "; expected one of " + new java.util.TreeSet<>(fields));
            }
        }
        return json;
    }

    private static void readOverrides(JsonNode json, Map<PolicyField, Long> set, Set<PolicyField> cleared) {
        readOverride(PolicyField.RECONNECT_GRACE, json.get(PolicyField.RECONNECT_GRACE.json), set, cleared);
        JsonNode policy = json.get(POLICY);
        if (policy == null) {
            return;
        }
        if (policy.isNull()) {
            // "policy": null clears every policy override (not reconnect_grace_ms, which has its own field)
            EnumSet.allOf(PolicyField.class).stream().filter(f -> f != PolicyField.RECONNECT_GRACE).forEach(cleared::add);
            return;
        }
        if (!policy.isObject()) {
            throw ApiException.invalidField(POLICY, "policy must be a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = policy.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            PolicyField f = PolicyField.byJson(e.getKey()).filter(p -> p != PolicyField.RECONNECT_GRACE)
                    .orElseThrow(() -> ApiException.invalidField(POLICY + "." + e.getKey(), unknownPolicyField(e.getKey())));
            readOverride(f, e.getValue(), set, cleared);
        }
    }

    private static String unknownPolicyField(String name) {
        if (PolicyField.RECONNECT_GRACE.json.equals(name)) {
            return "reconnect_grace_ms is given at the top level of the body, not under policy";
        }
        return "unknown policy field " + name + "; expected one of restart_grace_ms, start_timeout_ms, max_attempts, "
                + "base_delay_ms, max_delay_ms, first_attempt_jitter_ms";
    }

    private static void readOverride(PolicyField f, JsonNode value, Map<PolicyField, Long> set, Set<PolicyField> cleared) {
        if (value == null) {
            return;
        }
        if (value.isNull()) {
            cleared.add(f);
            return;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < f.min || value.longValue() > f.max) {
            String unit = f == PolicyField.MAX_ATTEMPTS ? "" : " of milliseconds";
            throw ApiException.invalidField(fieldName(f), fieldName(f) + " must be a whole number" + unit + " from "
                    + f.min + " to " + f.max + ", or null for the global default");
        }
        set.put(f, value.longValue());
    }

    static URI webhookUrl(JsonNode value) {
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw ApiException.invalidField(WEBHOOK_URL, "webhook_url (an absolute http or https URL) is required");
        }
        String s = value.textValue();
        if (s.length() > MAX_WEBHOOK_URL_CHARS) {
            throw ApiException.invalidField(WEBHOOK_URL, "webhook_url is " + s.length() + " characters; the limit is "
                    + MAX_WEBHOOK_URL_CHARS);
        }
        URI url;
        try {
            url = new URI(s);
        } catch (URISyntaxException e) {
            throw ApiException.invalidField(WEBHOOK_URL, "webhook_url is not a valid URL: " + e.getReason());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw ApiException.invalidField(WEBHOOK_URL, "webhook_url must be an absolute http or https URL");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw ApiException.invalidField(WEBHOOK_URL, "webhook_url must name a host");
        }
        if (url.getPort() > 65_535) {
            throw ApiException.invalidField(WEBHOOK_URL, "webhook_url has a port out of range");
        }
        if (url.getRawUserInfo() != null) {
            // it would be shown by GET and logged; webhooks are authenticated by their signature instead
            throw ApiException.invalidField(WEBHOOK_URL, "webhook_url must not carry credentials (user:password@); "
                    + "webhooks are signed with the webhook secret");
        }
        if (url.getRawFragment() != null) {
            throw ApiException.invalidField(WEBHOOK_URL, "webhook_url must not have a fragment: it is never sent to the server");
        }
        return url;
    }
}
