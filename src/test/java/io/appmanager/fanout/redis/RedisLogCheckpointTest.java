package io.appmanager.fanout.redis;

import io.appmanager.fanout.SharedLog.CheckpointWrite;
import io.appmanager.support.RedisServers;
import io.vertx.mutiny.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoints of RedisLog against a real Redis 6.2 (embedded-redis). */
class RedisLogCheckpointTest {

    static Vertx vertx;
    static RedisServers.Handle server;
    static io.vertx.redis.client.Redis raw;
    static RedisLog log;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        server = RedisServers.start();
        raw = io.vertx.redis.client.Redis.createClient(vertx.getDelegate(), server.url());
        RedisLog.Settings s = RedisLog.Settings.defaults();
        log = new RedisLog(io.vertx.mutiny.redis.client.Redis.createClient(vertx, RedisLog.clientOptions(server.url(), s)), s);
    }

    @AfterAll
    static void stop() {
        log.close();
        raw.close();
        server.close();
        vertx.closeAndAwait();
    }

    static <T> T join(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static long pttl(String sessionId) throws Exception {
        return raw.send(Request.cmd(Command.PTTL).arg("appmanager:cp:" + sessionId))
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).toLong();
    }

    @Test
    void anOlderSeqNeverReplacesANewerOne() throws Exception {
        Duration ttl = Duration.ofMinutes(1);
        join(log.saveCheckpoints(List.of(new CheckpointWrite("s1", 5, "five"), new CheckpointWrite("s2", 1, "one")), ttl));
        assertEquals(Optional.of("five"), join(log.checkpoint("s1")));
        assertEquals(Optional.of("one"), join(log.checkpoint("s2")));

        join(log.saveCheckpoints(List.of(new CheckpointWrite("s1", 3, "three")), ttl));
        assertEquals(Optional.of("five"), join(log.checkpoint("s1")), "older seq ignored");
        join(log.saveCheckpoints(List.of(new CheckpointWrite("s1", 5, "five again")), ttl));
        assertEquals(Optional.of("five"), join(log.checkpoint("s1")), "the same seq does not replace either");
        join(log.saveCheckpoints(List.of(new CheckpointWrite("s1", 7, "seven é"), new CheckpointWrite("s1", 6, "six")), ttl));
        assertEquals(Optional.of("seven é"), join(log.checkpoint("s1")), "newer seq wins, within one call too");
    }

    @Test
    void theTtlIsAppliedAndRenewedOnEverySave() throws Exception {
        join(log.saveCheckpoints(List.of(new CheckpointWrite("t1", 2, "two")), Duration.ofSeconds(10)));
        long first = pttl("t1");
        assertTrue(first > 8_000 && first <= 10_000, "ttl applied: " + first);
        join(log.saveCheckpoints(List.of(new CheckpointWrite("t1", 1, "older")), Duration.ofSeconds(60)));
        long renewed = pttl("t1");
        assertTrue(renewed > 50_000 && renewed <= 60_000, "ttl renewed even when the body is not replaced: " + renewed);
        assertEquals(Optional.of("two"), join(log.checkpoint("t1")));

        join(log.saveCheckpoints(List.of(new CheckpointWrite("t2", 1, "short-lived")), Duration.ofMillis(300)));
        assertEquals(Optional.of("short-lived"), join(log.checkpoint("t2")));
        await().atMost(Duration.ofSeconds(10)).until(() -> join(log.checkpoint("t2")).isEmpty());
    }

    @Test
    void deleteAndAbsent() throws Exception {
        assertEquals(Optional.empty(), join(log.checkpoint("never-saved")));
        join(log.saveCheckpoints(List.of(new CheckpointWrite("d1", 1, "x")), Duration.ofMinutes(1)));
        assertEquals(Optional.of("x"), join(log.checkpoint("d1")));
        join(log.deleteCheckpoint("d1"));
        assertEquals(Optional.empty(), join(log.checkpoint("d1")));
        join(log.deleteCheckpoint("d1"));   // deleting an absent one is fine
        join(log.saveCheckpoints(List.of(), Duration.ofMinutes(1)));   // nothing to do, no round trip
    }
}
