package io.appmanager.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IntentsTest {

    private final Intents defaults = new Intents(Map.of());

    @ParameterizedTest(name = "{0} needs {1}")
    @CsvSource({
            "message.create, messages",
            "message.delete, messages",
            "member.update, members",
            "typing.start, message_typing",
            "presence.update, presences",
            "space.create, spaces",
            "channel.update, spaces",
            "role.create, spaces",
            "invite.create, spaces",
            "reaction.add, message_reactions",
            "voice.state, voice_states",
            "call.start, voice_states",
            "ban.add, moderation",
            "audit_log.entry, moderation",
            "emoji.update, emojis",
            "soundboard.play, soundboard",
            "relationship.add, relationships",
            "plugin.install, plugins",
            // first segment only: deeper types of a known family are gated too
            "message.reaction.add, messages",
            // a type without a dot is its own first segment
            "message, messages",
    })
    void defaultTableIsAccordservers(String type, String intent) {
        assertEquals(Optional.of(intent), defaults.requiredFor(type));
    }

    @ParameterizedTest
    @CsvSource({"interaction.create", "user.update", "app.thing", "messages.create", "Message.create", "x",
            ".message", "''"})
    void typesOutsideTheTableNeedNoIntent(String type) {
        assertEquals(Optional.empty(), defaults.requiredFor(type));
    }

    @Test
    void memberIntentIsPrivileged() {
        assertTrue(Intents.PRIVILEGED.contains(defaults.requiredFor("member.update").orElseThrow()));
        assertTrue(Intents.PRIVILEGED.contains(defaults.requiredFor("presence.update").orElseThrow()));
        assertFalse(Intents.PRIVILEGED.contains(defaults.requiredFor("message.create").orElseThrow()));
    }

    @Test
    void everyDefaultIntentIsAKnownIntent() {
        for (String intent : Intents.ACCORD_TABLE.values()) {
            assertTrue(Intents.UNPRIVILEGED.contains(intent) || Intents.PRIVILEGED.contains(intent), intent);
        }
    }

    @Test
    void privilegedAndUnprivilegedAreDisjoint() {
        for (String p : Intents.PRIVILEGED) {
            assertFalse(Intents.UNPRIVILEGED.contains(p), p);
        }
    }

    @Test
    void coversWhenTheSessionHasTheIntent() {
        assertTrue(defaults.covers(Set.of("messages"), "message.create"));
        assertFalse(defaults.covers(Set.of("members"), "message.create"));
        assertFalse(defaults.covers(Set.of(), "message.create"));
    }

    @Test
    void typesNeedingNoIntentAreCoveredForEveryone() {
        assertTrue(defaults.covers(Set.of(), "interaction.create"));
        assertTrue(defaults.covers(Set.of(), "app.thing"));
    }

    @Test
    void overrideAddsANewFamily() {
        Intents i = new Intents(Map.of("app", "plugins"));
        assertEquals(Optional.of("plugins"), i.requiredFor("app.thing"));
        assertEquals(Optional.of("messages"), i.requiredFor("message.create"));
    }

    @Test
    void overrideReplacesADefault() {
        Intents i = new Intents(Map.of("message", "direct_messages"));
        assertEquals(Optional.of("direct_messages"), i.requiredFor("message.create"));
    }

    @Test
    void overrideToAPrivilegedIntentIsAllowed() {
        Intents i = new Intents(Map.of("message", "message_content"));
        assertEquals(Optional.of("message_content"), i.requiredFor("message.create"));
    }

    @Test
    void overrideNoneRemovesTheGate() {
        Intents i = new Intents(Map.of("member", "none"));
        assertEquals(Optional.empty(), i.requiredFor("member.update"));
        assertTrue(i.covers(Set.of(), "member.update"));
        assertEquals(Optional.of("presences"), i.requiredFor("presence.update"));
    }

    @Test
    void overrideNoneForAnAbsentFamilyIsHarmless() {
        Intents i = new Intents(Map.of("nothing", "none"));
        assertEquals(Optional.empty(), i.requiredFor("nothing.here"));
        assertEquals(Optional.of("messages"), i.requiredFor("message.create"));
    }

    @Test
    void overridesDoNotChangeTheDefaultTableOfOtherInstances() {
        new Intents(Map.of("message", "none"));
        assertEquals(Optional.of("messages"), new Intents(Map.of()).requiredFor("message.create"));
        assertEquals("messages", Intents.ACCORD_TABLE.get("message"));
    }

    @Test
    void overrideWithUnknownIntentIsRefusedNamingPrefixAndIntent() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Intents(Map.of("app", "bogus")));
        assertTrue(e.getMessage().contains("app"), e.getMessage());
        assertTrue(e.getMessage().contains("bogus"), e.getMessage());
    }

    @Test
    void overrideWithEmptyOrCaseVariantIntentIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Intents(Map.of("app", "")));
        assertThrows(IllegalArgumentException.class, () -> new Intents(Map.of("app", "Messages")));
        assertThrows(IllegalArgumentException.class, () -> new Intents(Map.of("app", "NONE")));
    }

    @Test
    void oneBadOverrideAmongGoodOnesIsRefused() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("a", "plugins");
        o.put("b", "nope");
        o.put("c", "none");
        assertThrows(IllegalArgumentException.class, () -> new Intents(o));
    }

    @Test
    void checkAcceptsUnprivilegedIntents() {
        assertEquals(new Intents.Check.Accepted(Set.of("messages", "spaces")),
                Intents.check(List.of("messages", "spaces"), Set.of()));
    }

    @Test
    void checkAcceptsNothingRequested() {
        assertEquals(new Intents.Check.Accepted(Set.of()), Intents.check(List.of(), Set.of()));
    }

    @Test
    void checkCollapsesDuplicates() {
        assertEquals(new Intents.Check.Accepted(Set.of("messages")),
                Intents.check(List.of("messages", "messages"), Set.of()));
    }

    @Test
    void checkRefusesUnknownIntent() {
        assertEquals(new Intents.Check.Unknown("bogus"), Intents.check(List.of("messages", "bogus"), Set.of()));
    }

    @Test
    void checkRefusesPrivilegedIntentNotGranted() {
        assertEquals(new Intents.Check.NotGranted("members"),
                Intents.check(List.of("messages", "members"), Set.of()));
    }

    @Test
    void checkRefusesPrivilegedIntentWhenADifferentOneIsGranted() {
        assertEquals(new Intents.Check.NotGranted("presences"),
                Intents.check(List.of("members", "presences"), Set.of("members")));
    }

    @Test
    void checkAcceptsPrivilegedIntentThatIsGranted() {
        assertEquals(new Intents.Check.Accepted(Set.of("members", "messages")),
                Intents.check(List.of("members", "messages"), Set.of("members")));
    }

    @Test
    void checkReportsUnknownBeforeNotGrantedWhateverTheOrder() {
        // the privileged-and-not-granted intent comes first in the list, yet unknown wins (4013 before 4014)
        assertEquals(new Intents.Check.Unknown("bogus"),
                Intents.check(List.of("members", "bogus"), Set.of()));
    }

    @Test
    void checkReportsTheFirstUnknownIntent() {
        assertEquals(new Intents.Check.Unknown("x"), Intents.check(List.of("messages", "x", "y"), Set.of()));
    }

    @Test
    void checkIsCaseSensitive() {
        assertEquals(new Intents.Check.Unknown("MESSAGES"), Intents.check(List.of("MESSAGES"), Set.of()));
    }

    @Test
    void grantedUnprivilegedIntentsAreIrrelevant() {
        assertEquals(new Intents.Check.Accepted(Set.of("messages")),
                Intents.check(List.of("messages"), Set.of("spaces", "not-even-an-intent")));
    }
}
