package io.appmanager.fanout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;

/**
 * A published event, serialised once. Each recipient's frame is a short per-session prefix
 * ({@code {"op":0,"seq":N,}) followed by this shared tail, so fan-out never re-encodes JSON.
 *
 * @param id     publication id, unique per node and increasing in publish order
 * @param type   event type, e.g. {@code message.create}
 * @param topics topics it was published to
 * @param tail   {@code "type":"...","data":...}} — the frame after the seq
 */
public record EncodedEvent(long id, String type, List<String> topics, String tail) {

    /** Bytes of the frame without the seq prefix; what replay and outbound bounds account. */
    public int weight() {
        return tail.length() + FRAME_PREFIX_ALLOWANCE;
    }

    /** Exact UTF-8 size of the tail, what the publish size limit is measured in. */
    public int utf8Bytes() {
        int n = 0;
        for (int i = 0; i < tail.length(); i++) {
            char c = tail.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Room for {@code {"op":0,"seq":<19 digits>,}. */
    private static final int FRAME_PREFIX_ALLOWANCE = 32;

    /** Serialises type and data once; throws IllegalArgumentException when data cannot be written. */
    public static EncodedEvent encode(ObjectMapper json, long id, String type, List<String> topics, Object data) {
        try {
            String tail = "\"type\":" + json.writeValueAsString(type) + ",\"data\":" + json.writeValueAsString(data) + "}";
            return new EncodedEvent(id, type, List.copyOf(topics), tail);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data is not serialisable", e);
        }
    }

    public String frame(long seq) {
        return new StringBuilder(tail.length() + FRAME_PREFIX_ALLOWANCE)
                .append("{\"op\":0,\"seq\":").append(seq).append(',').append(tail).toString();
    }
}
