package io.appmanager.bench;

import io.vertx.core.Future;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * The load client's side of a scenario: N subscribed sessions and their counters. {@link Sessions}
 * speaks Accord (AppManager, raw Vert.x); {@link SocketIoSessions} speaks Socket.IO. A target picks
 * its kind with {@link Target#subscribers}.
 */
public interface Subscribers extends AutoCloseable {

    /** Opens every session; completes when all are subscribed. The string is what session i identifies with. */
    CompletableFuture<Void> open(IntFunction<String> tokenForSession);

    /** Events delivered to all sessions so far. */
    long delivered();

    /** Events that arrived out of order (a gap or a repeat in a session's sequence). */
    long outOfOrder();

    /** Sockets the server closed while the run was still going. */
    long closedUnexpectedly();

    /** What the reconnect storm needs of one session, whatever its protocol. */
    interface Member {
        /** The socket goes without a close frame, as on a network drop ({@link AbruptClose}). */
        void drop();

        /** Event indexes received, in arrival order (only when the options keep indexes). */
        List<Long> indexes();
    }

    /** The sessions opened so far, session i at index i. */
    List<? extends Member> sessions();

    default int size() {
        return sessions().size();
    }

    default void drop(int i) {
        sessions().get(i).drop();
    }

    /**
     * Session i connects again after {@link #drop}. With {@code resume} it asks the server to take its
     * session up again (Accord RESUME with session id and last seq; Socket.IO recovery with pid and
     * offset) and completes with whether the server did (false: a fresh session); without, it
     * identifies afresh and completes with true. Fails if the server refused or closed.
     */
    Future<Boolean> reconnect(int i, boolean resume);

    default List<Long> indexes(int i) {
        return sessions().get(i).indexes();
    }

    @Override
    void close();
}
