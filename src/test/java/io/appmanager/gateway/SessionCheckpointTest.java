package io.appmanager.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.appmanager.fanout.LogPosition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SessionCheckpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static SessionCheckpoint at(long seq, AppBinding app) {
        return new SessionCheckpoint("s1", "as:x", Set.of("messages", "spaces"), List.of("user:x", "room.1"), seq,
                new LogPosition("e1", 1000 + seq, 0), app);
    }

    @Test
    void aListOfCheckpointsRoundTripsOldestFirst() {
        AppBinding app = new AppBinding(UUID.randomUUID(), "com.example.app", "us-1");
        List<SessionCheckpoint> kept = List.of(at(3, null), at(9, app));
        assertEquals(kept, SessionCheckpoint.decodeAll(JSON, SessionCheckpoint.encodeAll(JSON, kept)));
    }

    @Test
    void aRebuildStartsFromTheNewestCheckpointAtOrBeforeTheClientsSeq() {
        List<SessionCheckpoint> kept = List.of(at(3, null), at(7, null), at(12, null));
        assertEquals(Optional.of(at(7, null)), SessionCheckpoint.newestAtOrBefore(kept, 11));
        assertEquals(Optional.of(at(12, null)), SessionCheckpoint.newestAtOrBefore(kept, 12));
        assertEquals(Optional.of(at(3, null)), SessionCheckpoint.newestAtOrBefore(kept, 3));
        assertEquals(Optional.empty(), SessionCheckpoint.newestAtOrBefore(kept, 2));
    }

    @Test
    void aStoredValueThatIsNotAListOfCheckpointsIsNoCheckpointAtAll() {
        assertEquals(List.of(), SessionCheckpoint.decodeAll(JSON, "not json"));
        assertEquals(List.of(), SessionCheckpoint.decodeAll(JSON, "{\"session\":\"s1\"}"));
        assertEquals(List.of(), SessionCheckpoint.decodeAll(JSON, "[{\"session\":\"s1\",\"seq\":3}]"));
        assertEquals(List.of(), SessionCheckpoint.decodeAll(JSON, "[{\"session\":\"s1\",\"principal\":\"p\",\"seq\":3,"
                + "\"epoch\":\"e1\",\"at\":\"not-an-id\",\"intents\":[],\"topics\":[]}]"));
    }
}
