package io.appmanager.gateway;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The {@code ?v=1&encoding=json} of the gateway URL. Absent parameters mean the defaults, so a
 * browser console or wscat works without them; any other value is refused with 4012.
 */
final class QueryCheck {

    static final String VERSION = "1";
    static final String ENCODING = "json";

    private QueryCheck() {
    }

    /** @return why the query is refused, or null when it is acceptable */
    static String problem(String query) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (key.equals("v") && !value.equals(VERSION)) {
                return "unsupported gateway version v=" + value + " (this server speaks v=" + VERSION + ")";
            }
            if (key.equals("encoding") && !value.equals(ENCODING)) {
                return "unsupported encoding " + value + " (this server speaks " + ENCODING + ")";
            }
        }
        return null;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
