package io.appmanager.auth;

import java.util.regex.Pattern;

/**
 * A topic name or a glob over topic names, as found in a token's {@code topics} and
 * {@code publish} claims. {@code *} matches any run of characters, so {@code chat.*} covers
 * {@code chat.room1} and {@code *} covers everything.
 */
public record TopicPattern(String glob) {

    /** Topic names: printable, no wildcard, short enough to be a map key without worry. */
    public static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_.:@\\-]{1,128}");
    private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9_.:@\\-*]{1,128}");

    public TopicPattern {
        if (glob == null || !GLOB.matcher(glob).matches()) {
            throw new IllegalArgumentException("invalid topic pattern: " + glob);
        }
    }

    public static boolean isValidTopic(String topic) {
        return topic != null && TOPIC.matcher(topic).matches();
    }

    public boolean isWildcardFree() {
        return glob.indexOf('*') < 0;
    }

    public boolean matches(String topic) {
        return globMatches(glob, 0, topic, 0);
    }

    // Iterative glob with single backtrack point: linear in practice, no regex compilation per check.
    private static boolean globMatches(String g, int gi, String t, int ti) {
        int starG = -1;
        int starT = -1;
        while (ti < t.length()) {
            if (gi < g.length() && g.charAt(gi) == '*') {
                starG = gi++;
                starT = ti;
            } else if (gi < g.length() && g.charAt(gi) == t.charAt(ti)) {
                gi++;
                ti++;
            } else if (starG >= 0) {
                gi = starG + 1;
                ti = ++starT;
            } else {
                return false;
            }
        }
        while (gi < g.length() && g.charAt(gi) == '*') {
            gi++;
        }
        return gi == g.length();
    }
}
