package io.appmanager.gateway;

import io.appmanager.apps.AppEvents;
import io.appmanager.auth.Principal;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppPrincipalTest {

    private final UUID id = UUID.randomUUID();
    private final Principal app = AppPrincipal.of(new AppBinding(id, "com.example.a", "us-7"));

    @Test
    void responsesArePublishedWhereTheAppSessionListens() {
        assertEquals(AppEvents.personalTopic(id), app.personalTopic());
    }

    @Test
    void anAppHearsItsOwnUserSessionAndNothingElse() {
        assertTrue(app.maySubscribe("us.us-7"));
        assertTrue(app.maySubscribe("us.us-7.notes"));
        assertFalse(app.maySubscribe("us.us-70"), "another user session that shares a prefix");
        assertFalse(app.maySubscribe("us.us-8.notes"));
        assertFalse(app.maySubscribe("admin.app-sessions"));
        assertFalse(app.isPublisher());
        assertFalse(app.admin());
    }
}
