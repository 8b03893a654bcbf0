package io.appmanager.auth;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Who a verified token speaks for and what it may do.
 *
 * @param id                the {@code sub} claim
 * @param topics            patterns the principal may subscribe to ({@code topics} claim)
 * @param privilegedIntents privileged intents granted ({@code privileged_intents} claim)
 * @param publish           patterns the principal may publish to ({@code publish} claim; empty: none)
 * @param expiresAt         the {@code exp} claim
 * @param admin             the {@code admin} claim: may manage apps (the /api/v1/apps API); absent means false
 */
public record Principal(String id, List<TopicPattern> topics, Set<String> privilegedIntents,
                        List<TopicPattern> publish, Instant expiresAt, boolean admin) {

    public boolean maySubscribe(String topic) {
        return topic.equals(personalTopic()) || topics.stream().anyMatch(p -> p.matches(topic));
    }

    public boolean mayPublish(String topic) {
        return publish.stream().anyMatch(p -> p.matches(topic));
    }

    public boolean isPublisher() {
        return !publish.isEmpty();
    }

    /** Every session of a principal hears its own topic without asking. */
    public String personalTopic() {
        return "user:" + id;
    }
}
