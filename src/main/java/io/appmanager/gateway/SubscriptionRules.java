package io.appmanager.gateway;

import io.appmanager.auth.Principal;
import io.appmanager.auth.TopicPattern;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which topics a session hears. Pure: the caller applies the {@link Change} to the session and
 * the hub, and tells the client every refusal by name (never a silent drop).
 */
final class SubscriptionRules {

    record Refusal(String topic, String reason) {
    }

    record Change(List<String> added, List<String> removed, List<Refusal> refused) {
    }

    static final String INVALID_TOPIC = "invalid_topic";
    static final String NOT_AUTHORIZED = "not_authorized";
    static final String TOPIC_LIMIT = "topic_limit";

    private SubscriptionRules() {
    }

    /** Topics a session starts with: its own and every wildcard-free topic its token names. */
    static List<String> initialTopics(Principal principal, int max) {
        Set<String> out = new LinkedHashSet<>();
        out.add(principal.personalTopic());
        for (TopicPattern p : principal.topics()) {
            if (out.size() >= max) {
                break;
            }
            if (p.isWildcardFree()) {
                out.add(p.glob());
            }
        }
        return List.copyOf(out);
    }

    /** Wildcard-free topics of the token that did not fit under the per-session limit. */
    static List<Refusal> initialOverLimit(Principal principal, List<String> initial) {
        List<Refusal> out = new ArrayList<>();
        for (TopicPattern p : principal.topics()) {
            if (p.isWildcardFree() && !initial.contains(p.glob())) {
                out.add(new Refusal(p.glob(), TOPIC_LIMIT));
            }
        }
        return out;
    }

    /** Removals apply before additions, so a client can swap topics at the limit in one frame. */
    static Change apply(Set<String> current, Principal principal, List<String> add, List<String> remove, int max) {
        Set<String> topics = new LinkedHashSet<>(current);
        List<String> removed = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<Refusal> refused = new ArrayList<>();
        for (String t : remove) {
            if (topics.remove(t)) {
                removed.add(t);
            }
        }
        for (String t : add) {
            if (!TopicPattern.isValidTopic(t)) {
                refused.add(new Refusal(t, INVALID_TOPIC));
            } else if (!principal.maySubscribe(t)) {
                refused.add(new Refusal(t, NOT_AUTHORIZED));
            } else if (topics.contains(t)) {
                continue;
            } else if (topics.size() >= max) {
                refused.add(new Refusal(t, TOPIC_LIMIT));
            } else {
                topics.add(t);
                added.add(t);
            }
        }
        return new Change(added, removed, refused);
    }
}
