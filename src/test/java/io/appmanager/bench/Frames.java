package io.appmanager.bench;

/**
 * Reads the few fields the load client needs from a gateway frame without a JSON parser: with
 * thousands of sessions the client must stay much cheaper than the server it measures. The frames
 * come from servers we control (AppManager or the raw baseline), whose keys are never nested
 * under the same names, and key order does not matter.
 */
final class Frames {

    private Frames() {
    }

    /** The integer after {@code "key":}, or {@code missing}. */
    static long number(String frame, String key, long missing) {
        int at = frame.indexOf("\"" + key + "\":");
        if (at < 0) {
            return missing;
        }
        int i = at + key.length() + 3;
        while (i < frame.length() && frame.charAt(i) == ' ') {
            i++;
        }
        boolean negative = i < frame.length() && frame.charAt(i) == '-';
        if (negative) {
            i++;
        }
        long v = 0;
        int start = i;
        while (i < frame.length() && Character.isDigit(frame.charAt(i))) {
            v = v * 10 + (frame.charAt(i) - '0');
            i++;
        }
        return i == start ? missing : (negative ? -v : v);
    }

    /** The string after {@code "key":"}, or null (no escapes: event types and session ids have none). */
    static String string(String frame, String key) {
        String head = "\"" + key + "\":\"";
        int at = frame.indexOf(head);
        if (at < 0) {
            return null;
        }
        int from = at + head.length();
        int end = frame.indexOf('"', from);
        return end < 0 ? null : frame.substring(from, end);
    }

    static String identify(String token) {
        return "{\"op\":2,\"data\":{\"token\":\"Bearer " + token
                + "\",\"intents\":[\"messages\"],\"properties\":{\"os\":\"linux\",\"client\":\"appmanager-bench\",\"version\":\"0.1.0\"}}}";
    }

    /** RESUME (op 3): the session to take up again and the last seq this client saw. */
    static String resume(String token, String sessionId, long lastSeq) {
        return "{\"op\":3,\"data\":{\"token\":\"Bearer " + token + "\",\"session_id\":\"" + sessionId + "\",\"seq\":" + lastSeq + "}}";
    }

    static String heartbeat(long lastSeq) {
        return "{\"op\":1,\"data\":" + (lastSeq < 0 ? "null" : Long.toString(lastSeq)) + "}";
    }

    /** The publish body: data carries the event's index and its publish time (nanoTime of the bench JVM). */
    static String publish(String topic, long index, long publishedNanos) {
        return "{\"type\":\"message.create\",\"topic\":\"" + topic + "\",\"data\":{\"i\":" + index + ",\"t\":"
                + publishedNanos + "}}";
    }
}
