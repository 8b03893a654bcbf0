package io.appmanager.fanout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;

/**
 * A published event, serialised once. Each recipient's frame is a short per-session prefix
 * ({@code {"op":0,"seq":N,}) followed by this shared tail, so fan-out never re-encodes JSON.
 * Immutable and shared by every session that holds it in its replay log.
 */
public final class EncodedEvent {

    /** Room for {@code {"op":0,"seq":<19 digits>,}: 14 + 19 + 1 characters. */
    public static final int FRAME_PREFIX_ALLOWANCE = 34;

    private final long id;
    private final String type;
    private final List<String> topics;
    private final String tail;
    private final int utf8Bytes;

    /**
     * @param id     publication id, unique per node and increasing in publish order (0 for session-only events)
     * @param type   event type, e.g. {@code message.create}
     * @param topics topics it was published to
     * @param tail   {@code "type":"...","data":...}} — the frame after the seq
     */
    public EncodedEvent(long id, String type, List<String> topics, String tail) {
        this.id = id;
        this.type = type;
        this.topics = List.copyOf(topics);
        this.tail = tail;
        this.utf8Bytes = utf8Length(tail);
    }

    /** Serialises type and data once; throws IllegalArgumentException when data cannot be written. */
    public static EncodedEvent encode(ObjectMapper json, long id, String type, List<String> topics, Object data) {
        try {
            String tail = "\"type\":" + json.writeValueAsString(type) + ",\"data\":" + json.writeValueAsString(data) + "}";
            return new EncodedEvent(id, type, topics, tail);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data is not serialisable", e);
        }
    }

    public long id() {
        return id;
    }

    public String type() {
        return type;
    }

    public List<String> topics() {
        return topics;
    }

    public String tail() {
        return tail;
    }

    /** Exact UTF-8 size of the tail, what the publish size limit is measured in. Computed once. */
    public int utf8Bytes() {
        return utf8Bytes;
    }

    /** Upper bound of a recipient's frame in bytes; what replay and outbound bounds account. */
    public int weight() {
        return utf8Bytes + FRAME_PREFIX_ALLOWANCE;
    }

    public String frame(long seq) {
        return new StringBuilder(tail.length() + FRAME_PREFIX_ALLOWANCE)
                .append("{\"op\":0,\"seq\":").append(seq).append(',').append(tail).toString();
    }

    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "EncodedEvent[" + id + ", " + type + ", " + topics + "]";
    }
}
