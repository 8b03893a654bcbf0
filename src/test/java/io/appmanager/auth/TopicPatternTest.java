package io.appmanager.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

class TopicPatternTest {

    @ParameterizedTest(name = "{0} matches {1}")
    @CsvSource({
            // exact
            "chat.room1, chat.room1",
            "a, a",
            // everything
            "*, a",
            "*, chat.room1",
            "*, user:alice",
            "**, x",
            // prefix
            "chat.*, chat.room1",
            "chat.*, chat.",
            "chat*, chat",
            "chat*, chatter",
            // suffix
            "*.room1, chat.room1",
            "*1, 1",
            // infix
            "a*b*c, abc",
            "a*b*c, aXbYc",
            "a*b*c, aXXbYYc",
            "a*b*c, abbbc",
            "a*b*c, acbc",
            "a*b*c, abcbc",
            "a*c, ac",
            // backtracking: the first candidate for the literal after * is the wrong one
            "*ab, aab",
            "*ab, abab",
            "*aab, aaab",
            "a*ab, aaab",
            "*a*b, bab",
            "*abc*, xxababcxx",
            "*.x.*, a.b.x.c",
            "**a**b**, zzazzbzz",
            "user:*, user:",
            "*-*, a-b",
    })
    void matches(String glob, String topic) {
        assertTrue(new TopicPattern(glob).matches(topic));
    }

    @ParameterizedTest(name = "{0} does not match {1}")
    @CsvSource({
            // exact is exact
            "chat.room1, chat.room2",
            "chat.room1, chat.room10",
            "chat.room1, chat.room",
            "chat.room1, Chat.room1",
            "a, aa",
            // prefix
            "chat.*, chat",
            "chat.*, chatroom",
            "chat.*, xchat.room",
            // suffix
            "*.room1, chat.room12",
            "*.room1, room1",
            // infix
            "a*b*c, ab",
            "a*b*c, acb",
            "a*b*c, abcd",
            "a*b*c, xabc",
            "a*c, a",
            "*ab, aba",
            "*ab, b",
            "*aab, aab.",
            "*a*b, bba",
            "user:*, user",
            // dot is literal, not regex
            "a.c, abc",
    })
    void doesNotMatch(String glob, String topic) {
        assertFalse(new TopicPattern(glob).matches(topic));
    }

    @Test
    void starMatchesTheEmptyTopicAndNothingElseDoes() {
        assertTrue(new TopicPattern("*").matches(""));
        assertTrue(new TopicPattern("**").matches(""));
        assertFalse(new TopicPattern("a").matches(""));
        assertFalse(new TopicPattern("a*").matches(""));
    }

    @Test
    void pathologicalPatternsStayFast() {
        TopicPattern p = new TopicPattern("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b");
        String topic = "a".repeat(128);
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            for (int i = 0; i < 1000; i++) {
                assertFalse(p.matches(topic));
            }
        });
    }

    @Test
    void globIsKept() {
        assertEquals("chat.*", new TopicPattern("chat.*").glob());
    }

    @Test
    void wildcardFreeKnowsItsStars() {
        assertTrue(new TopicPattern("chat.room1").isWildcardFree());
        assertFalse(new TopicPattern("chat.*").isWildcardFree());
        assertFalse(new TopicPattern("*").isWildcardFree());
        assertFalse(new TopicPattern("a*b").isWildcardFree());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a/b", "a?b", "a+b", "chat.[0-9]", "caf\u00e9", "a\nb", "a\tb", "a,b",
            "#", "%", "a\u0000"})
    void invalidPatternsThrow(String glob) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TopicPattern(glob));
        assertTrue(e.getMessage().contains("invalid topic pattern"));
    }

    @Test
    void nullPatternThrows() {
        assertThrows(IllegalArgumentException.class, () -> new TopicPattern(null));
    }

    @Test
    void patternLengthIsBoundedAt128() {
        assertEquals(128, new TopicPattern("a".repeat(127) + "*").glob().length());
        assertThrows(IllegalArgumentException.class, () -> new TopicPattern("a".repeat(129)));
        assertThrows(IllegalArgumentException.class, () -> new TopicPattern("*".repeat(129)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "chat.room1", "user:alice", "a_b-c.d:e@f", "ABC123", "-", "@", ":"})
    void validTopics(String topic) {
        assertTrue(TopicPattern.isValidTopic(topic));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*", "chat.*", "a b", "a/b", "caf\u00e9", " a", "a ", "a\n"})
    void invalidTopics(String topic) {
        assertFalse(TopicPattern.isValidTopic(topic));
    }

    @Test
    void nullIsNotAValidTopic() {
        assertFalse(TopicPattern.isValidTopic(null));
    }

    @Test
    void topicLengthIsBoundedAt128() {
        assertTrue(TopicPattern.isValidTopic("x".repeat(128)));
        assertFalse(TopicPattern.isValidTopic("x".repeat(129)));
    }

    @Test
    void recordEqualityIsByGlob() {
        assertEquals(new TopicPattern("a*"), new TopicPattern("a*"));
    }
}
