package io.appmanager.fanout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A feed entry as a log body: one JSON header line, then the event's already-encoded tail verbatim.
 * The tail is never parsed or re-escaped, so an event costs the same on the wire to Redis as it does
 * to a client. A body that does not decode is reported, never guessed at.
 */
public final class FeedCodec {

    /** A log body that is not a feed entry (another writer, a damaged value). */
    public static final class Undecodable extends RuntimeException {
        public Undecodable(String message) {
            super(message);
        }
    }

    private final ObjectMapper json;

    public FeedCodec(ObjectMapper json) {
        this.json = json;
    }

    public String encode(FeedEntry entry) {
        ObjectNode h = json.createObjectNode();
        EncodedEvent event = null;
        if (entry instanceof FeedEntry.Publish p) {
            h.put("k", "p");
            event = p.event();
        } else if (entry instanceof FeedEntry.Direct d) {
            h.put("k", "d").put("s", d.sessionId());
            event = d.event();
        } else if (entry instanceof FeedEntry.Topics t) {
            h.put("k", "t").put("s", t.sessionId());
            ArrayNode list = h.putArray("l");
            t.topics().forEach(list::add);
            event = t.update();
        } else if (entry instanceof FeedEntry.Takeover x) {
            h.put("k", "x").put("s", x.sessionId()).put("n", x.node());
        } else if (entry instanceof FeedEntry.CloseAppSocket c) {
            h.put("k", "c").put("a", c.appSessionId()).put("g", c.upToGeneration()).put("c", c.code()).put("r", c.reason());
        } else if (entry instanceof FeedEntry.Mark m) {
            h.put("k", "m").put("n", m.node());
        }
        if (event != null) {
            h.put("id", event.id()).put("y", event.type());
            ArrayNode topics = h.putArray("t");
            event.topics().forEach(topics::add);
        }
        try {
            return json.writeValueAsString(h) + "\n" + (event == null ? "" : event.tail());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a feed header is always writable", e);
        }
    }

    public FeedEntry decode(String body) {
        int nl = body.indexOf('\n');
        if (nl < 0) {
            throw new Undecodable("no header line");
        }
        JsonNode h;
        try {
            h = json.readTree(body.substring(0, nl));
        } catch (JsonProcessingException e) {
            throw new Undecodable("header is not JSON");
        }
        String tail = body.substring(nl + 1);
        String kind = text(h, "k");
        return switch (kind) {
            case "p" -> new FeedEntry.Publish(event(h, tail));
            case "d" -> new FeedEntry.Direct(text(h, "s"), event(h, tail));
            case "t" -> new FeedEntry.Topics(text(h, "s"), strings(h.get("l")), h.has("y") ? event(h, tail) : null);
            case "x" -> new FeedEntry.Takeover(text(h, "s"), text(h, "n"));
            case "m" -> new FeedEntry.Mark(text(h, "n"));
            case "c" -> new FeedEntry.CloseAppSocket(text(h, "a"), number(h, "g"), (int) number(h, "c"), text(h, "r"));
            default -> throw new Undecodable("unknown entry kind " + kind);
        };
    }

    private static EncodedEvent event(JsonNode h, String tail) {
        if (tail.isEmpty() || !h.path("id").canConvertToLong()) {
            throw new Undecodable("event entry without id or tail");
        }
        return new EncodedEvent(h.get("id").asLong(), text(h, "y"), strings(h.get("t")), tail);
    }

    private static long number(JsonNode h, String field) {
        JsonNode v = h.get(field);
        if (v == null || !v.canConvertToLong()) {
            throw new Undecodable("header field " + field + " missing");
        }
        return v.longValue();
    }

    private static String text(JsonNode h, String field) {
        JsonNode v = h.get(field);
        if (v == null || !v.isTextual()) {
            throw new Undecodable("header field " + field + " missing");
        }
        return v.textValue();
    }

    private static List<String> strings(JsonNode array) {
        if (array == null || !array.isArray()) {
            throw new Undecodable("expected a list");
        }
        List<String> out = new ArrayList<>(array.size());
        for (JsonNode n : array) {
            if (!n.isTextual()) {
                throw new Undecodable("expected a list of strings");
            }
            out.add(n.textValue());
        }
        return out;
    }
}
