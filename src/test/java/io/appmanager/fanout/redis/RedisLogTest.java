package io.appmanager.fanout.redis;

import io.appmanager.fanout.FanoutEngine.EngineUnavailable;
import io.appmanager.fanout.LogPosition;
import io.appmanager.fanout.SharedLog.Follower;
import io.appmanager.fanout.SharedLog.LogRead;
import io.appmanager.fanout.SharedLog.LogRecord;
import io.appmanager.support.RedisServers;
import io.vertx.mutiny.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RedisLog against a real Redis 6.2 (embedded-redis), one fresh server per test, no Quarkus. */
class RedisLogTest {

    static final Duration WAIT = Duration.ofSeconds(15);
    static Vertx vertx;

    RedisServers.Handle server;
    Redis raw;
    final List<RedisLog> logs = new ArrayList<>();

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() {
        vertx.closeAndAwait();
    }

    @BeforeEach
    void startRedis() {
        server = RedisServers.start();
        raw = Redis.createClient(vertx.getDelegate(), server.url());
    }

    @AfterEach
    void stop() {
        logs.forEach(RedisLog::close);
        raw.close();
        server.close();
    }

    /** A generous command timeout: the test machine is shared and loaded; timeouts are tested with {@link #impatient()}. */
    static RedisLog.Settings settings() {
        return new RedisLog.Settings("test:", 100_000, 64L * 1024 * 1024, Duration.ofMinutes(5),
                Duration.ofSeconds(5), 16, Duration.ofMillis(300));
    }

    /** A 1 s command timeout. */
    static RedisLog.Settings impatient() {
        RedisLog.Settings s = settings();
        return new RedisLog.Settings(s.keyPrefix(), s.maxEntries(), s.maxBytes(), s.maxAge(), Duration.ofSeconds(1),
                s.followBatch(), s.followBlock());
    }

    /** A "node": its own client, as another process would have. */
    RedisLog node(RedisLog.Settings s) {
        var client = io.vertx.mutiny.redis.client.Redis.createClient(vertx, RedisLog.clientOptions(server.url(), s));
        RedisLog log = new RedisLog(client, s);
        logs.add(log);
        return log;
    }

    Response raw(Request r) throws Exception {
        return raw.send(r).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    static <T> T join(java.util.concurrent.CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static Throwable failure(java.util.concurrent.CompletionStage<?> s) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> s.toCompletableFuture().get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    /** Records what a follower is told, and whether it was ever called while already inside a call. */
    static class Recorder implements Follower {
        final List<LogRecord> records = new CopyOnWriteArrayList<>();
        final List<LogPosition> epochChanges = new CopyOnWriteArrayList<>();
        final List<Boolean> availability = new CopyOnWriteArrayList<>();
        final AtomicInteger inside = new AtomicInteger();
        volatile boolean overlapped;

        /** Runs one callback, noting whether another one was still running. */
        private void once(Runnable call) {
            if (inside.incrementAndGet() > 1) {
                overlapped = true;
            }
            try {
                call.run();
            } finally {
                inside.decrementAndGet();
            }
        }

        @Override
        public void records(List<LogRecord> batch) {
            once(() -> records.addAll(batch));
        }

        @Override
        public void epochChanged(LogPosition from) {
            once(() -> epochChanges.add(from));
        }

        @Override
        public void availability(boolean available) {
            once(() -> availability.add(available));
        }

        Boolean lastAvailability() {
            return availability.isEmpty() ? null : availability.get(availability.size() - 1);
        }

        List<String> bodies() {
            return records.stream().map(LogRecord::body).toList();
        }
    }

    Recorder follow(RedisLog log) {
        Recorder r = new Recorder();
        log.follow(r);
        await().atMost(WAIT).until(() -> Boolean.TRUE.equals(r.lastAvailability()));
        return r;
    }

    // --- order across nodes

    @Test
    void twoNodesAppendingConcurrentlySeeTheSameEntriesInTheSameOrderExactlyOnce() throws Exception {
        RedisLog a = node(settings());
        RedisLog b = node(settings());
        assertNull(a.epoch(), "no epoch before the first contact");
        Recorder fa = follow(a);
        Recorder fb = follow(b);
        assertEquals(a.epoch(), b.epoch());

        // Node a appends one after another (as one publisher awaiting each publish would), node b fires a burst of
        // concurrent appends through its connection pool; both at the same time.
        int perNode = 300;
        Set<String> expected = new HashSet<>();
        CompletableFuture<Void> chainA = CompletableFuture.completedFuture(null);
        List<LogPosition> fromA = new CopyOnWriteArrayList<>();
        List<CompletableFuture<LogPosition>> burstB = new ArrayList<>();
        for (int i = 0; i < perNode; i++) {
            String bodyA = "a-" + i;
            String bodyB = "b-" + i + " é€";
            expected.add(bodyA);
            expected.add(bodyB);
            chainA = chainA.thenCompose(x -> a.append(bodyA)).thenAccept(fromA::add);
            burstB.add(b.append(bodyB).toCompletableFuture());
        }
        chainA.get(30, TimeUnit.SECONDS);
        Set<LogPosition> appended = new HashSet<>(fromA);
        for (CompletableFuture<LogPosition> f : burstB) {
            appended.add(f.get(30, TimeUnit.SECONDS));
        }
        assertEquals(2 * perNode, appended.size(), "every append got its own position");

        await().atMost(WAIT).until(() -> fa.records.size() >= 2 * perNode && fb.records.size() >= 2 * perNode);
        assertEquals(fa.records, fb.records, "both nodes see the same entries in the same order");
        assertEquals(2 * perNode, fa.records.size());
        assertEquals(expected, new HashSet<>(fa.bodies()), "each entry exactly once, bodies intact (UTF-8 too)");
        assertEquals(appended, new HashSet<>(fa.records.stream().map(LogRecord::position).toList()),
                "followers see exactly the positions appends returned");
        for (int i = 1; i < fa.records.size(); i++) {
            assertTrue(fa.records.get(i - 1).position().compareTo(fa.records.get(i).position()) < 0, "increasing positions");
        }
        assertFalse(fa.overlapped || fb.overlapped, "follower callbacks never overlap");
        // appends made one after another keep their order (concurrent ones may land in any order)
        List<String> aOnly = fa.bodies().stream().filter(s -> s.startsWith("a-")).toList();
        assertEquals(java.util.stream.IntStream.range(0, perNode).mapToObj(i -> "a-" + i).toList(), aOnly);

        // readAfter pages through the same history
        String epoch = a.epoch();
        LogRead.Records page = assertInstanceOf(LogRead.Records.class, join(b.readAfter(LogPosition.start(epoch), 100)));
        assertTrue(page.more());
        assertEquals(fa.records.subList(0, 100), page.records());
        LogRead.Records rest = assertInstanceOf(LogRead.Records.class,
                join(a.readAfter(fa.records.get(99).position(), 10_000)));
        assertFalse(rest.more());
        assertEquals(fa.records.subList(100, 2 * perNode), rest.records());
        assertTrue(a.available() && b.available());
    }

    // --- trimming

    @Test
    void trimmingByCount() throws Exception {
        RedisLog log = node(withLimits(5, Long.MAX_VALUE, Duration.ofMinutes(5)));
        List<LogPosition> p = appendAll(log, 8, "x");
        // entries 0..2 trimmed, 3..7 kept
        LogRead.Trimmed t = assertInstanceOf(LogRead.Trimmed.class, join(log.readAfter(p.get(0), 100)));
        assertEquals(p.get(3), t.oldestRetained());
        assertInstanceOf(LogRead.Trimmed.class, join(log.readAfter(LogPosition.start(p.get(0).epoch()), 100)));
        assertInstanceOf(LogRead.Trimmed.class, join(log.readAfter(p.get(1), 100)));
        assertEquals(p.subList(3, 8), positions(join(log.readAfter(p.get(2), 100))), "after the newest trimmed entry: all kept");
        assertEquals(p.subList(5, 8), positions(join(log.readAfter(p.get(4), 100))));
        assertEquals(5L, raw(Request.cmd(Command.XLEN).arg("test:log")).toLong());
    }

    @Test
    void trimmingByBytes() throws Exception {
        RedisLog log = node(withLimits(1_000, 100, Duration.ofMinutes(5)));
        String body = "y".repeat(30);
        List<LogPosition> p = appendAll(log, 5, body);
        // 5 x 30 bytes: after each append over 100 the oldest go; 3 entries (90 bytes) remain
        LogRead.Trimmed t = assertInstanceOf(LogRead.Trimmed.class, join(log.readAfter(p.get(0), 100)));
        assertEquals(p.get(2), t.oldestRetained());
        assertEquals(p.subList(2, 5), positions(join(log.readAfter(p.get(1), 100))));
        assertEquals(90L, raw(Request.cmd(Command.GET).arg("test:bytes")).toLong(), "bytes retained are accounted");
    }

    @Test
    void trimmingByAge() throws Exception {
        Duration maxAge = Duration.ofMillis(500);
        RedisLog log = node(withLimits(1_000, Long.MAX_VALUE, maxAge));
        List<LogPosition> old = appendAll(log, 2, "old");
        long appendedAt = System.nanoTime();
        assertInstanceOf(LogRead.Records.class, join(log.readAfter(old.get(0), 100)), "nothing old enough yet");
        // Age trims on append: keep appending until the old entries are gone.
        List<LogPosition> fresh = new CopyOnWriteArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            fresh.add(join(log.append("new")));
            return join(log.readAfter(old.get(0), 100)) instanceof LogRead.Trimmed;
        });
        assertTrue(System.nanoTime() - appendedAt >= maxAge.toNanos(), "trimmed only once older than max age");
        assertInstanceOf(LogRead.Trimmed.class, join(log.readAfter(LogPosition.start(old.get(0).epoch()), 100)));
        LogPosition last = fresh.get(fresh.size() - 1);
        LogPosition beforeLast = fresh.get(fresh.size() - 2);
        assertEquals(List.of(last), positions(join(log.readAfter(beforeLast, 100))), "a recent position still reads");
    }

    RedisLog.Settings withLimits(long entries, long bytes, Duration age) {
        RedisLog.Settings s = settings();
        return new RedisLog.Settings(s.keyPrefix(), entries, bytes, age, s.commandTimeout(), s.followBatch(), s.followBlock());
    }

    static List<LogPosition> appendAll(RedisLog log, int n, String body) throws Exception {
        List<LogPosition> p = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            p.add(join(log.append(body)));
        }
        return p;
    }

    static List<LogPosition> positions(LogRead read) {
        return assertInstanceOf(LogRead.Records.class, read).records().stream().map(LogRecord::position).toList();
    }

    // --- restarts, outages, lost history

    @Test
    void redisRestartedEmptyStartsANewEpochAndEverythingCarriesOn() throws Exception {
        RedisLog log = node(settings());
        Recorder f = follow(log);
        LogPosition before = join(log.append("before"));
        await().atMost(WAIT).until(() -> f.records.size() == 1);
        String oldEpoch = before.epoch();

        server.restart();

        await().atMost(WAIT).until(() -> !f.epochChanges.isEmpty());
        LogPosition from = f.epochChanges.get(0);
        assertNotEquals(oldEpoch, from.epoch());
        assertEquals(LogPosition.start(from.epoch()), from, "follows the new epoch from its start");
        assertEquals(from.epoch(), raw(Request.cmd(Command.GET).arg("test:epoch")).toString());

        LogPosition after = join(log.append("after"));
        assertEquals(from.epoch(), after.epoch(), "append works again on the same RedisLog, in the new epoch");
        await().atMost(WAIT).until(() -> f.records.size() == 2);
        assertEquals(List.of("before", "after"), f.bodies());
        assertEquals(after, f.records.get(1).position(), "the new entry carries the new epoch");

        LogRead.OtherEpoch other = assertInstanceOf(LogRead.OtherEpoch.class, join(log.readAfter(before, 10)));
        assertEquals(from.epoch(), other.currentEpoch());
        assertEquals(List.of(after), positions(join(log.readAfter(LogPosition.start(from.epoch()), 10))));
        assertEquals(from.epoch(), log.epoch());
        assertFalse(f.overlapped);
    }

    @Test
    void redisDownFailsFastAndBothSidesRecoverByThemselves() throws Exception {
        RedisLog log = node(impatient());
        Recorder f = follow(log);
        join(log.append("one"));
        assertTrue(log.available());

        server.stop();

        EngineUnavailable e = appendFailsWithin(log, "while down", 1_000);
        assertTrue(e.getMessage().startsWith("Redis log unavailable"), e.getMessage());
        assertInstanceOf(EngineUnavailable.class, failure(log.readAfter(LogPosition.start("x"), 1)));
        assertInstanceOf(EngineUnavailable.class, failure(log.checkpoint("s")));
        await().atMost(WAIT).until(() -> !log.available());
        await().atMost(WAIT).until(() -> Boolean.FALSE.equals(f.lastAvailability()));

        server.restart();

        await().atMost(WAIT).until(() -> Boolean.TRUE.equals(f.lastAvailability()) && log.available());
        assertEquals(List.of(true, false, true), f.availability, "each change reported once");
        LogPosition p = join(log.append("two"));
        await().atMost(WAIT).until(() -> f.bodies().contains("two"));
        assertEquals(p.epoch(), f.epochChanges.get(f.epochChanges.size() - 1).epoch(), "came back empty: new epoch first");
    }

    static EngineUnavailable appendFailsWithin(RedisLog log, String body, long maxMs) {
        long t0 = System.nanoTime();
        Throwable e = failure(log.append(body));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(tookMs < maxMs, "append failed after " + tookMs + " ms, expected under " + maxMs);
        return assertInstanceOf(EngineUnavailable.class, e);
    }

    @Test
    void aServerThatStopsAnsweringTimesOutInsteadOfHanging() throws Exception {
        RedisLog log = node(impatient());
        join(log.append("one"));
        // CLIENT PAUSE (6.2: every command of every other client) answers at once, then Redis holds every command
        // for 3 s: a server that accepts connections but does not answer. The command timeout is 1 s.
        raw(Request.cmd(Command.CLIENT).arg("PAUSE").arg(3000));
        EngineUnavailable e = appendFailsWithin(log, "two", 2_500);
        assertTrue(e.getMessage().contains("no answer within 1000 ms"), e.getMessage());
        assertFalse(log.available());
        await().atMost(WAIT).until(() -> {
            try {
                join(log.append("three"));
                return log.available();
            } catch (ExecutionException notYet) {
                return false;
            }
        });
    }

    @Test
    void aLogThatWentBackwardsGetsANewEpoch() throws Exception {
        RedisLog log = node(settings());
        RedisLog other = node(settings());
        Recorder f = follow(log);
        join(log.append("e1"));
        LogPosition e2 = join(log.append("e2"));
        await().atMost(WAIT).until(() -> f.records.size() == 2);
        String oldEpoch = e2.epoch();

        // What a failover to a replica that missed the tail looks like: the epoch survives, the entries do not,
        // and appends carry on at higher ids.
        raw(Request.cmd(Command.DEL).arg("test:log"));
        join(other.append("e3"));

        await().atMost(WAIT).until(() -> !f.epochChanges.isEmpty());
        String newEpoch = f.epochChanges.get(0).epoch();
        assertNotEquals(oldEpoch, newEpoch);
        assertEquals(LogPosition.start(newEpoch), f.epochChanges.get(0));
        assertEquals(newEpoch, raw(Request.cmd(Command.GET).arg("test:epoch")).toString(), "set in Redis for every node");
        assertEquals(List.of("e1", "e2"), f.bodies().subList(0, 2));
        assertTrue(f.records.stream().skip(2).allMatch(r -> r.position().epoch().equals(newEpoch)),
                "nothing after the loss is delivered under the old epoch: " + f.records);
        assertEquals(newEpoch, log.epoch());
        LogRead.OtherEpoch answer = assertInstanceOf(LogRead.OtherEpoch.class, join(other.readAfter(e2, 10)));
        assertEquals(newEpoch, answer.currentEpoch());

        LogPosition e4 = join(other.append("e4"));
        assertEquals(newEpoch, e4.epoch());
        await().atMost(WAIT).until(() -> f.bodies().contains("e4"));
        assertEquals(e4, f.records.get(f.records.size() - 1).position());
    }

    @Test
    void readAfterAPositionWhoseEntryVanishedStartsANewEpochToo() throws Exception {
        RedisLog log = node(settings());
        LogPosition p = join(log.append("e1"));
        join(log.append("e2"));
        raw(Request.cmd(Command.DEL).arg("test:log"));
        join(log.append("e3"));   // same epoch, higher id: without the check, e1..e2's loss would be silent

        LogRead.OtherEpoch answer = assertInstanceOf(LogRead.OtherEpoch.class, join(log.readAfter(p, 10)));
        assertNotEquals(p.epoch(), answer.currentEpoch());
        assertEquals(answer.currentEpoch(), raw(Request.cmd(Command.GET).arg("test:epoch")).toString());
        assertEquals(0L, raw(Request.cmd(Command.EXISTS).arg("test:log")).toLong(), "a new epoch is a fresh history");
    }

    @Test
    void aFollowerThatFellBehindTrimmingIsToldItMissedEntries() throws Exception {
        RedisLog writer = node(withLimits(3, Long.MAX_VALUE, Duration.ofMinutes(5)));
        RedisLog reader = node(withLimits(3, Long.MAX_VALUE, Duration.ofMinutes(5)));
        CountDownLatch release = new CountDownLatch(1);
        Recorder f = new Recorder() {
            @Override
            public void records(List<LogRecord> batch) {
                super.records(batch);
                try {
                    release.await(30, TimeUnit.SECONDS);   // a follower far slower than trimming
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        reader.follow(f);
        await().atMost(WAIT).until(() -> Boolean.TRUE.equals(f.lastAvailability()));
        LogPosition first = join(writer.append("first"));
        await().atMost(WAIT).until(() -> f.records.size() == 1);
        List<LogPosition> later = appendAll(writer, 6, "later");   // trims "first" and later[0..2]
        release.countDown();

        await().atMost(WAIT).until(() -> f.records.size() == 4);
        assertEquals(List.of(new LogPosition(first.epoch(), later.get(2).millis(), later.get(2).sequence())),
                f.epochChanges, "same epoch, resuming after the newest trimmed entry");
        assertEquals(later.subList(3, 6), f.records.subList(1, 4).stream().map(LogRecord::position).toList());
    }

    @Test
    void settingsDefaultsAreTheConfigDefaults() {
        RedisLogConfig config = new io.smallrye.config.SmallRyeConfigBuilder()
                .withMapping(RedisLogConfig.class)
                .withConverter(Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .build()
                .getConfigMapping(RedisLogConfig.class);
        assertEquals(RedisLog.Settings.defaults(), RedisLog.Settings.from(config));
        assertTrue(config.url().isEmpty(), "no Redis unless configured");
        assertThrows(IllegalStateException.class, () -> RedisLog.create(vertx, config));
    }

    @Test
    void followOnlyOnceAndAppendsAfterFollowAreNeverMissed() throws Exception {
        RedisLog log = node(settings());
        Recorder f = new Recorder();
        log.follow(f);
        LogPosition p = join(log.append("right after follow"));
        await().atMost(WAIT).until(() -> f.records.size() == 1);
        assertEquals(p, f.records.get(0).position());
        assertThrows(IllegalStateException.class, () -> log.follow(new Recorder()));
        assertNotNull(log.epoch());
    }
}
