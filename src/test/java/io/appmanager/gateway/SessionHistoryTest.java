package io.appmanager.gateway;

import io.appmanager.fanout.EncodedEvent;
import io.appmanager.fanout.FeedEntry;
import io.appmanager.fanout.Hub;
import io.appmanager.fanout.LogPosition;
import io.appmanager.fanout.Subscriber;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A session rebuilt from a checkpoint must be exactly what the owning node's hub made of it: the same
 * seqs, the same events, the same topics. The property test drives a real {@link Hub} with random
 * feeds and compares, at random checkpoints, against {@link SessionHistory#replay}.
 */
class SessionHistoryTest {

    private static final String SID = "s1";
    private static final Predicate<String> NO_FILTER = type -> true;

    private static EncodedEvent ev(long id, String type, String... topics) {
        return new EncodedEvent(id, type, List.of(topics), "\"type\":\"" + type + "\",\"data\":" + id + "}");
    }

    private static SessionHistory.Positioned at(long n, FeedEntry e) {
        return new SessionHistory.Positioned(new LogPosition("e1", 0, n), e);
    }

    private static SessionCheckpoint checkpoint(long seq, List<String> topics) {
        return new SessionCheckpoint(SID, "user:1", Set.of(), topics, seq, new LogPosition("e1", 0, 0), null);
    }

    @Test
    void publicationsOnHeardTopicsGetTheNextSeqs() {
        SessionHistory.Rebuilt r = SessionHistory.replay(checkpoint(5, List.of("a")), List.of(
                at(1, new FeedEntry.Publish(ev(1, "m.x", "a"))),
                at(2, new FeedEntry.Publish(ev(2, "m.x", "b"))),
                at(3, new FeedEntry.Publish(ev(3, "m.x", "b", "a")))), NO_FILTER);
        assertEquals(7, r.lastSeq());
        assertEquals(List.of(1L, 3L), r.events().stream().map(EncodedEvent::id).toList());
    }

    @Test
    void intentsFilterPublicationsButNotDirectEvents() {
        SessionHistory.Rebuilt r = SessionHistory.replay(checkpoint(1, List.of("a")), List.of(
                at(1, new FeedEntry.Publish(ev(1, "presence.update", "a"))),
                at(2, new FeedEntry.Direct(SID, ev(2, "presence.update"))),
                at(3, new FeedEntry.Direct("other", ev(3, "m.x")))), type -> !type.startsWith("presence"));
        assertEquals(List.of(2L), r.events().stream().map(EncodedEvent::id).toList());
        assertEquals(2, r.lastSeq());
    }

    @Test
    void aTopicListChangesWhatIsHeardFromItsEntryOnAndItsUpdateTakesASeq() {
        SessionHistory.Rebuilt r = SessionHistory.replay(checkpoint(1, List.of("a")), List.of(
                at(1, new FeedEntry.Publish(ev(1, "m.x", "b"))),
                at(2, new FeedEntry.Topics(SID, List.of("b"), ev(2, "subscriptions.update"))),
                at(3, new FeedEntry.Publish(ev(3, "m.x", "a"))),
                at(4, new FeedEntry.Publish(ev(4, "m.x", "b"))),
                at(5, new FeedEntry.Topics("other", List.of("a"), ev(5, "subscriptions.update")))), NO_FILTER);
        assertEquals(List.of(2L, 4L), r.events().stream().map(EncodedEvent::id).toList());
        assertEquals(List.of("b"), r.topics());
        assertEquals(3, r.lastSeq());
    }

    @Test
    void takeoversAndMarksChangeNothing() {
        SessionHistory.Rebuilt r = SessionHistory.replay(checkpoint(9, List.of("a")), List.of(
                at(1, new FeedEntry.Takeover(SID, "node-2")), at(2, new FeedEntry.Mark("node-3"))), NO_FILTER);
        assertEquals(9, r.lastSeq());
        assertEquals(List.of(), r.events());
    }

    // ---------------------------------------------------------------- the hub and the rebuild agree

    /** What the hub delivered to the session, with the seq it would have got. */
    private static final class Recording implements Subscriber {
        final List<EncodedEvent> got = new ArrayList<>();
        final Predicate<String> intents;

        Recording(Predicate<String> intents) {
            this.intents = intents;
        }

        @Override
        public String id() {
            return SID;
        }

        @Override
        public boolean accepts(String type) {
            return intents.test(type);
        }

        @Override
        public void deliver(EncodedEvent event) {
            got.add(event);
        }
    }

    private record Snapshot(long seq, LogPosition at, List<String> topics, int delivered) {
    }

    @Test
    void aRebuildFromAnyCheckpointMatchesWhatTheHubDelivered() throws Exception {
        Random random = new Random(20261124);
        List<String> topicPool = List.of("a", "b", "c", "d");
        List<String> typePool = List.of("message.create", "presence.update", "typing.start");
        Predicate<String> intents = type -> !type.startsWith("typing");
        for (int run = 0; run < 50; run++) {
            Hub hub = new Hub();
            Recording session = new Recording(intents);
            hub.inOrder(() -> hub.register(session, List.of("a"))).get(5, TimeUnit.SECONDS);
            List<SessionHistory.Positioned> fed = new ArrayList<>();
            List<Snapshot> snapshots = new ArrayList<>();
            for (int i = 1; i <= 200; i++) {
                FeedEntry e = randomEntry(random, topicPool, typePool, i);
                LogPosition p = new LogPosition("e1", 1000 + i, 0);
                fed.add(new SessionHistory.Positioned(p, e));
                hub.feed(p, e);
                if (random.nextInt(10) == 0) {
                    CompletableFuture<Snapshot> snap = new CompletableFuture<>();
                    hub.inOrder(() -> snap.complete(new Snapshot(1 + session.got.size(), hub.position(),
                            hub.topicsOf(SID), session.got.size())));
                    snapshots.add(snap.get(5, TimeUnit.SECONDS));
                }
            }
            hub.inOrder(() -> { }).get(5, TimeUnit.SECONDS);
            for (Snapshot s : snapshots) {
                SessionCheckpoint cp = new SessionCheckpoint(SID, "user:1", Set.of(), s.topics(), s.seq(), s.at(), null);
                List<SessionHistory.Positioned> after = fed.stream().filter(p -> p.position().compareTo(s.at()) > 0).toList();
                SessionHistory.Rebuilt r = SessionHistory.replay(cp, after, intents);
                List<EncodedEvent> expected = session.got.subList(s.delivered(), session.got.size());
                assertEquals(expected, r.events(), "run " + run + " from " + s.at());
                assertEquals(1 + session.got.size(), r.lastSeq(), "run " + run + " from " + s.at());
                CompletableFuture<List<String>> finalTopics = new CompletableFuture<>();
                hub.inOrder(() -> finalTopics.complete(hub.topicsOf(SID)));
                assertEquals(finalTopics.get(5, TimeUnit.SECONDS), r.topics());
            }
        }
    }

    private static FeedEntry randomEntry(Random random, List<String> topics, List<String> types, long id) {
        String type = types.get(random.nextInt(types.size()));
        return switch (random.nextInt(6)) {
            case 0 -> new FeedEntry.Direct(random.nextBoolean() ? SID : "other", ev(id, "request.accepted"));
            case 1 -> new FeedEntry.Topics(random.nextBoolean() ? SID : "other",
                    topics.subList(random.nextInt(2), 2 + random.nextInt(3)), random.nextBoolean() ? ev(id, "subscriptions.update") : null);
            case 2 -> new FeedEntry.Mark("n");
            default -> {
                int from = random.nextInt(topics.size());
                yield new FeedEntry.Publish(ev(id, type, topics.subList(from, Math.min(topics.size(), from + 1 + random.nextInt(2)))
                        .toArray(String[]::new)));
            }
        };
    }
}
