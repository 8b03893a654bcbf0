package io.appmanager.bench;

import io.vertx.core.Vertx;

/** A server under test, running in a process of its own on 127.0.0.1. */
public interface Target extends AutoCloseable {

    /** Short name used in results and plots: {@code appmanager}, {@code raw-vertx}. */
    String name();

    int port();

    /** Process id of the server, for CPU and memory readings. */
    long pid();

    /** A token that may publish to the bench topics. */
    String publishToken();

    /** The token session {@code i} identifies with; its {@code topics} claim names {@code topic}. */
    String sessionToken(int i, String topic);

    /** The load client for this target's protocol: Accord {@link Sessions} unless the target says otherwise. */
    default Subscribers subscribers(Vertx vertx, Sessions.Options options, LatencyRecorder latency) {
        return new Sessions(vertx, options, latency);
    }

    /** An admin token for the target's admin API (apps, app sessions); only AppManager has one. */
    default String adminToken() {
        throw new UnsupportedOperationException(name() + " has no admin API");
    }

    /** Whether a dropped session can be taken up again with what it missed (RESUME, Socket.IO recovery); the raw baseline cannot. */
    default boolean resumes() {
        return true;
    }

    /** Reads the server's memory after a full collection; a JVM target by default (attach API). */
    default MemoryProbe memory() throws Exception {
        return JvmMemory.of(pid());
    }

    @Override
    void close();
}
