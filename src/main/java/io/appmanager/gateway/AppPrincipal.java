package io.appmanager.gateway;

import io.appmanager.auth.Principal;
import io.appmanager.auth.TopicPattern;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The principal an app SDK connection speaks for. It may hear its own user session's topics
 * ({@code us.<user_session_id>} and below) and its personal topic, where responses to its requests
 * arrive; it publishes nothing directly (requests go through the REQUEST op).
 */
final class AppPrincipal {

    /** API keys do not expire like tokens; the principal lives as long as its session. */
    private static final Instant NEVER = Instant.MAX;

    private AppPrincipal() {
    }

    static Principal of(AppBinding app) {
        String base = userSessionTopic(app.userSessionId());
        return new Principal(principalId(app), List.of(new TopicPattern(base), new TopicPattern(base + ".*")),
                Set.of(), List.of(), NEVER, false);
    }

    static String principalId(AppBinding app) {
        return "as:" + app.appSessionId();
    }

    static String userSessionTopic(String userSessionId) {
        return "us." + userSessionId;
    }
}
