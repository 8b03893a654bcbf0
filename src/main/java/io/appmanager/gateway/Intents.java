package io.appmanager.gateway;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which intent an event type needs, and whether an IDENTIFY's intents are acceptable.
 * The default table is accordserver's, keyed by the event type's first segment so that new
 * event types of a known family are gated without a code change.
 */
public final class Intents {

    public static final Set<String> UNPRIVILEGED = Set.of("spaces", "moderation", "emojis", "soundboard",
            "voice_states", "messages", "message_reactions", "message_typing", "direct_messages",
            "dm_reactions", "dm_typing", "scheduled_events", "plugins", "relationships");
    public static final Set<String> PRIVILEGED = Set.of("members", "presences", "message_content");

    static final Map<String, String> ACCORD_TABLE = Map.ofEntries(
            Map.entry("message", "messages"),
            Map.entry("member", "members"),
            Map.entry("space", "spaces"),
            Map.entry("channel", "spaces"),
            Map.entry("role", "spaces"),
            Map.entry("invite", "spaces"),
            Map.entry("reaction", "message_reactions"),
            Map.entry("typing", "message_typing"),
            Map.entry("presence", "presences"),
            Map.entry("voice", "voice_states"),
            Map.entry("call", "voice_states"),
            Map.entry("ban", "moderation"),
            Map.entry("audit_log", "moderation"),
            Map.entry("emoji", "emojis"),
            Map.entry("soundboard", "soundboard"),
            Map.entry("relationship", "relationships"),
            Map.entry("plugin", "plugins"));

    /** The outcome of checking an IDENTIFY's intents. */
    public sealed interface Check {
        record Accepted(Set<String> intents) implements Check {
        }

        record Unknown(String intent) implements Check {
        }

        record NotGranted(String intent) implements Check {
        }
    }

    private final Map<String, String> table;

    public Intents(Map<String, String> overrides) {
        Map<String, String> t = new HashMap<>(ACCORD_TABLE);
        overrides.forEach((prefix, intent) -> {
            if ("none".equals(intent)) {
                t.remove(prefix);
            } else if (!UNPRIVILEGED.contains(intent) && !PRIVILEGED.contains(intent)) {
                throw new IllegalArgumentException("appmanager.gateway.intent-table." + prefix
                        + " names an unknown intent: " + intent);
            } else {
                t.put(prefix, intent);
            }
        });
        this.table = Map.copyOf(t);
    }

    /** The intent an event of this type requires, if any. Types outside the table need none. */
    public Optional<String> requiredFor(String type) {
        int dot = type.indexOf('.');
        return Optional.ofNullable(table.get(dot < 0 ? type : type.substring(0, dot)));
    }

    public boolean covers(Set<String> sessionIntents, String type) {
        Lookup last = lastLookup;
        if (last.type() != type) {
            last = new Lookup(type, requiredFor(type).orElse(null));
            lastLookup = last;
        }
        return last.intent() == null || sessionIntents.contains(last.intent());
    }

    /**
     * The last type looked up, compared by identity: the hub asks every recipient of one event with the
     * same String, so a burst of a thousand recipients resolves the type once instead of a thousand times
     * (a substring and a map lookup each; visible in the fan-out profile, docs/benchmarks.md). Immutable
     * and swapped whole, so a reader on another thread sees a consistent pair.
     */
    private record Lookup(String type, String intent) {
    }

    private volatile Lookup lastLookup = new Lookup(null, null);

    /** Unknown intents are refused before privileged ones, matching Discord's 4013-then-4014 order. */
    public static Check check(Collection<String> requested, Set<String> granted) {
        for (String i : requested) {
            if (!UNPRIVILEGED.contains(i) && !PRIVILEGED.contains(i)) {
                return new Check.Unknown(i);
            }
        }
        for (String i : requested) {
            if (PRIVILEGED.contains(i) && !granted.contains(i)) {
                return new Check.NotGranted(i);
            }
        }
        return new Check.Accepted(Set.copyOf(requested));
    }
}
