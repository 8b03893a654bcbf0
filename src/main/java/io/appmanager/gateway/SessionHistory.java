package io.appmanager.gateway;

import io.appmanager.fanout.EncodedEvent;
import io.appmanager.fanout.FeedEntry;
import io.appmanager.fanout.LogPosition;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A session rebuilt from its checkpoint and the shared log after it: the same seqs, topics and events
 * the owning node's hub produced, because it applies the same entries in the same order with the same
 * rules ({@code Hub}). Pure: where a RESUME on a node that never held the session is decided.
 */
final class SessionHistory {

    /** An entry with its place in the log. */
    record Positioned(LogPosition position, FeedEntry entry) {
    }

    /**
     * @param lastSeq the seq of the last event the session was given
     * @param topics  the topics it hears after the entries
     * @param events  the events with seqs {@code checkpoint.seq + 1 .. lastSeq}, in order
     */
    record Rebuilt(long lastSeq, List<String> topics, List<EncodedEvent> events) {
    }

    private SessionHistory() {
    }

    /**
     * Applies {@code entries} (those after the checkpoint's position, in log order) to the checkpoint.
     *
     * @param accepts the session's intents: whether it takes a published event of a type
     */
    static Rebuilt replay(SessionCheckpoint checkpoint, List<Positioned> entries, Predicate<String> accepts) {
        String id = checkpoint.sessionId();
        long seq = checkpoint.seq();
        List<String> topics = checkpoint.topics();
        Set<String> hears = Set.copyOf(topics);
        List<EncodedEvent> events = new ArrayList<>();
        for (Positioned p : entries) {
            FeedEntry e = p.entry();
            if (e instanceof FeedEntry.Publish pub) {
                if (hearsAny(hears, pub.event().topics()) && accepts.test(pub.event().type())) {
                    seq++;
                    events.add(pub.event());
                }
            } else if (e instanceof FeedEntry.Direct d && d.sessionId().equals(id)) {
                seq++;
                events.add(d.event());
            } else if (e instanceof FeedEntry.Topics t && t.sessionId().equals(id)) {
                topics = t.topics();
                hears = Set.copyOf(topics);
                if (t.update() != null) {
                    seq++;
                    events.add(t.update());
                }
            }
        }
        return new Rebuilt(seq, topics, events);
    }

    private static boolean hearsAny(Set<String> hears, List<String> eventTopics) {
        for (String t : eventTopics) {
            if (hears.contains(t)) {
                return true;
            }
        }
        return false;
    }
}
