package io.appmanager.gateway;

import io.appmanager.auth.Principal;
import io.appmanager.auth.TopicPattern;
import io.appmanager.gateway.SubscriptionRules.Change;
import io.appmanager.gateway.SubscriptionRules.Refusal;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SubscriptionRulesTest {

    private static Principal principal(String id, String... topics) {
        List<TopicPattern> ps = new ArrayList<>();
        for (String t : topics) {
            ps.add(new TopicPattern(t));
        }
        return new Principal(id, ps, Set.of(), List.of(), Instant.EPOCH, false);
    }

    private static Set<String> set(String... s) {
        return new LinkedHashSet<>(List.of(s));
    }

    // --- initialTopics

    @Test
    void initialTopicsStartWithThePersonalTopic() {
        assertEquals(List.of("user:alice", "chat.a", "chat.b"),
                SubscriptionRules.initialTopics(principal("alice", "chat.a", "chat.b"), 100));
    }

    @Test
    void initialTopicsOfATokenWithoutTopicsAreJustThePersonalOne() {
        assertEquals(List.of("user:alice"), SubscriptionRules.initialTopics(principal("alice"), 100));
    }

    @Test
    void initialTopicsSkipWildcardPatterns() {
        assertEquals(List.of("user:alice", "news", "b"),
                SubscriptionRules.initialTopics(principal("alice", "chat.*", "news", "*", "a*b", "b"), 100));
    }

    @Test
    void initialTopicsKeepTokenOrder() {
        assertEquals(List.of("user:a", "z", "m", "a"),
                SubscriptionRules.initialTopics(principal("a", "z", "m", "a"), 100));
    }

    @Test
    void initialTopicsAreCappedIncludingThePersonalTopic() {
        assertEquals(List.of("user:alice", "t1", "t2"),
                SubscriptionRules.initialTopics(principal("alice", "t1", "t2", "t3", "t4"), 3));
    }

    @Test
    void initialTopicsCapIsNotUsedUpByWildcards() {
        assertEquals(List.of("user:alice", "t1", "t2"),
                SubscriptionRules.initialTopics(principal("alice", "x*", "y*", "t1", "z*", "t2", "t3"), 3));
    }

    @Test
    void initialTopicsCapOfOneIsThePersonalTopicOnly() {
        assertEquals(List.of("user:alice"),
                SubscriptionRules.initialTopics(principal("alice", "t1", "t2"), 1));
    }

    @Test
    void initialTopicsDoNotRepeatThePersonalTopic() {
        assertEquals(List.of("user:alice", "t1"),
                SubscriptionRules.initialTopics(principal("alice", "user:alice", "t1"), 100));
    }

    @Test
    void initialTopicsCollapseDuplicateTokenTopics() {
        assertEquals(List.of("user:alice", "t1", "t2"),
                SubscriptionRules.initialTopics(principal("alice", "t1", "t1", "t2"), 100));
    }

    @Test
    void initialTopicsExactlyAtTheCapAreAllKept() {
        assertEquals(List.of("user:alice", "t1", "t2"),
                SubscriptionRules.initialTopics(principal("alice", "t1", "t2"), 3));
    }

    // --- apply

    @Test
    void addingAnAuthorizedTopicAddsIt() {
        Change c = SubscriptionRules.apply(set("user:a"), principal("a", "chat.*"), List.of("chat.1"), List.of(), 10);
        assertEquals(new Change(List.of("chat.1"), List.of(), List.of()), c);
    }

    @Test
    void personalTopicIsAlwaysAuthorized() {
        Change c = SubscriptionRules.apply(set(), principal("a"), List.of("user:a"), List.of(), 10);
        assertEquals(List.of("user:a"), c.added());
        assertEquals(List.of(), c.refused());
    }

    @Test
    void someoneElsesPersonalTopicIsNotAuthorized() {
        Change c = SubscriptionRules.apply(set(), principal("a"), List.of("user:b"), List.of(), 10);
        assertEquals(List.of(new Refusal("user:b", SubscriptionRules.NOT_AUTHORIZED)), c.refused());
        assertEquals(List.of(), c.added());
    }

    @Test
    void invalidTopicIsRefusedAsInvalid() {
        Change c = SubscriptionRules.apply(set(), principal("a", "*"),
                List.of("chat.*", "", "has space", "x".repeat(129), "caf\u00e9"), List.of(), 10);
        assertEquals(List.of(
                new Refusal("chat.*", SubscriptionRules.INVALID_TOPIC),
                new Refusal("", SubscriptionRules.INVALID_TOPIC),
                new Refusal("has space", SubscriptionRules.INVALID_TOPIC),
                new Refusal("x".repeat(129), SubscriptionRules.INVALID_TOPIC),
                new Refusal("caf\u00e9", SubscriptionRules.INVALID_TOPIC)), c.refused());
        assertEquals(List.of(), c.added());
    }

    @Test
    void invalidIsReportedBeforeNotAuthorized() {
        Change c = SubscriptionRules.apply(set(), principal("a"), List.of("bad topic"), List.of(), 10);
        assertEquals(List.of(new Refusal("bad topic", SubscriptionRules.INVALID_TOPIC)), c.refused());
    }

    @Test
    void unauthorizedTopicIsRefusedAsNotAuthorized() {
        Change c = SubscriptionRules.apply(set(), principal("a", "chat.*"), List.of("news.1"), List.of(), 10);
        assertEquals(List.of(new Refusal("news.1", SubscriptionRules.NOT_AUTHORIZED)), c.refused());
    }

    @Test
    void notAuthorizedIsReportedBeforeTheLimit() {
        Change c = SubscriptionRules.apply(set("x"), principal("a", "x"), List.of("y"), List.of(), 1);
        assertEquals(List.of(new Refusal("y", SubscriptionRules.NOT_AUTHORIZED)), c.refused());
    }

    @Test
    void addingPastTheLimitIsRefusedAsTopicLimit() {
        Change c = SubscriptionRules.apply(set("t1", "t2"), principal("a", "t*"), List.of("t3", "t4"), List.of(), 3);
        assertEquals(List.of("t3"), c.added());
        assertEquals(List.of(new Refusal("t4", SubscriptionRules.TOPIC_LIMIT)), c.refused());
    }

    @Test
    void atTheLimitEveryNewTopicIsRefused() {
        Change c = SubscriptionRules.apply(set("t1"), principal("a", "t*"), List.of("t2", "t3"), List.of(), 1);
        assertEquals(List.of(), c.added());
        assertEquals(List.of(new Refusal("t2", SubscriptionRules.TOPIC_LIMIT),
                new Refusal("t3", SubscriptionRules.TOPIC_LIMIT)), c.refused());
    }

    @Test
    void addingATopicAlreadyHeldIsIgnoredSilently() {
        Change c = SubscriptionRules.apply(set("t1"), principal("a", "t*"), List.of("t1"), List.of(), 10);
        assertEquals(new Change(List.of(), List.of(), List.of()), c);
    }

    @Test
    void addingATopicAlreadyHeldAtTheLimitIsNotARefusal() {
        Change c = SubscriptionRules.apply(set("t1", "t2"), principal("a", "t*"), List.of("t1"), List.of(), 2);
        assertEquals(new Change(List.of(), List.of(), List.of()), c);
    }

    @Test
    void duplicateAddsInOneFrameAddOnce() {
        Change c = SubscriptionRules.apply(set(), principal("a", "t*"), List.of("t1", "t1", "t2", "t1"), List.of(), 10);
        assertEquals(List.of("t1", "t2"), c.added());
        assertEquals(List.of(), c.refused());
    }

    @Test
    void duplicateAddsDoNotCountTwiceAgainstTheLimit() {
        Change c = SubscriptionRules.apply(set(), principal("a", "t*"), List.of("t1", "t1", "t2"), List.of(), 2);
        assertEquals(List.of("t1", "t2"), c.added());
        assertEquals(List.of(), c.refused());
    }

    @Test
    void removingAHeldTopicRemovesIt() {
        Change c = SubscriptionRules.apply(set("t1", "t2"), principal("a", "t*"), List.of(), List.of("t1"), 10);
        assertEquals(new Change(List.of(), List.of("t1"), List.of()), c);
    }

    @Test
    void removingAnAbsentTopicIsANoOp() {
        Change c = SubscriptionRules.apply(set("t1"), principal("a", "t*"), List.of(), List.of("t9", "bad topic", ""), 10);
        assertEquals(new Change(List.of(), List.of(), List.of()), c);
    }

    @Test
    void removingTheSameTopicTwiceReportsItOnce() {
        Change c = SubscriptionRules.apply(set("t1"), principal("a", "t*"), List.of(), List.of("t1", "t1"), 10);
        assertEquals(List.of("t1"), c.removed());
    }

    @Test
    void removeBeforeAddLetsASwapAtTheLimitSucceed() {
        Change c = SubscriptionRules.apply(set("t1", "t2"), principal("a", "t*"), List.of("t3"), List.of("t1"), 2);
        assertEquals(new Change(List.of("t3"), List.of("t1"), List.of()), c);
    }

    @Test
    void removingAndReAddingTheSameTopicReportsBoth() {
        Change c = SubscriptionRules.apply(set("t1"), principal("a", "t*"), List.of("t1"), List.of("t1"), 10);
        assertEquals(new Change(List.of("t1"), List.of("t1"), List.of()), c);
    }

    @Test
    void applyDoesNotModifyTheCallersSet() {
        Set<String> current = set("t1", "t2");
        SubscriptionRules.apply(current, principal("a", "t*"), List.of("t3"), List.of("t1"), 10);
        assertEquals(set("t1", "t2"), current);
    }

    @Test
    void applyWorksOnAnImmutableCurrentSet() {
        Change c = SubscriptionRules.apply(Set.of("t1"), principal("a", "t*"), List.of("t2"), List.of("t1"), 10);
        assertEquals(new Change(List.of("t2"), List.of("t1"), List.of()), c);
    }

    @Test
    void mixedFrameReportsEachTopicInOrder() {
        Change c = SubscriptionRules.apply(set("user:a", "t1"), principal("a", "t*"),
                List.of("t2", "nope", "t 3", "t1", "t4"), List.of("t1", "zz"), 3);
        assertEquals(List.of("t1"), c.removed());
        assertEquals(List.of("t2", "t1"), c.added());
        assertEquals(List.of(new Refusal("nope", SubscriptionRules.NOT_AUTHORIZED),
                new Refusal("t 3", SubscriptionRules.INVALID_TOPIC),
                new Refusal("t4", SubscriptionRules.TOPIC_LIMIT)), c.refused());
    }
}
