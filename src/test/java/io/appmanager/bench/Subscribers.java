package io.appmanager.bench;

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

    @Override
    void close();
}
