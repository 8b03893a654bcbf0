package io.appmanager.fanout.redis;

import io.appmanager.fanout.FanoutEngine.EngineUnavailable;
import io.appmanager.fanout.LogPosition;
import io.appmanager.fanout.SharedLog;
import io.vertx.core.Future;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The shared log as one Redis stream (decision 0011). Keys, under {@link Settings#keyPrefix()}:
 * {@code log} (the stream; each entry has one field, {@code b}, the body), {@code epoch} (a random string,
 * the history the stream belongs to), {@code bytes} (body bytes retained), {@code floor} (id of the newest
 * entry ever trimmed) and {@code cp:<sessionId>} (a hash: {@code seq}, {@code body}).
 *
 * <p>Every write and every read that must be consistent with the epoch is one Lua script, so it is atomic:
 * <ul>
 * <li>a missing epoch (Redis restarted empty, or the key was lost) is replaced by a fresh random one,
 *     and the stream, byte count and floor are deleted with it: a new epoch is always a fresh history;</li>
 * <li>{@link #readAfter} answers {@code OtherEpoch} for a position of another epoch, {@code Trimmed} when an
 *     entry after the position was trimmed (floor &gt; position), and when the position's own entry is gone
 *     although it was never trimmed (a failover lost it, or the stream was deleted) the log went backwards:
 *     the script starts a new epoch at once and answers {@code OtherEpoch} with it. So a gap is never silent.</li>
 * </ul>
 *
 * <p>Threads. Commands of {@link #append}, {@link #readAfter} and the checkpoints go through the client's
 * pool asynchronously; their stages complete on a Vert.x event loop (or, on a time-out, on the JDK's
 * delay thread), so callers must not block in their continuations. {@link #follow} runs on one dedicated
 * daemon thread, {@code appmanager-redis-log-follower}, with its own connection and blocking waits: the loop
 * (read, wait, reconnect, back off) reads top to bottom, the follower's callbacks run there one at a time
 * and may take their time (the next read waits for them), and no event loop is ever blocked.
 *
 * <p>Reconnecting. The Vert.x client pools connections and drops one whose socket closed; the next command
 * opens a new one, so after Redis comes back the first append works again with nothing to do. The follower
 * closes its connection on any failure or time-out and asks the client for a new one, retrying with a
 * backoff from 100 ms doubling to 2 s; it reports {@link Follower#availability} on each change.
 *
 * <p>Quarkus. With quarkus-redis-client 3.29.4, a default client ({@code io.vertx.mutiny.redis.client.Redis},
 * {@code RedisAPI}, {@code RedisDataSource} ...) exists when something injects one, when
 * {@code quarkus.redis.hosts} is set at build time, or when Redis Dev Services are enabled (their default); it
 * is created eagerly at startup, and with no {@code quarkus.redis.hosts} (nor a hosts provider) the startup
 * fails with "Redis host not configured". Dev Services are therefore disabled in application.properties, and
 * {@link #create} builds this log's own client from {@code appmanager.fanout.redis.url} on the Quarkus
 * {@code Vertx}, so the service starts with no Redis at all when the in-process engine is used.
 */
public final class RedisLog implements SharedLog, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RedisLog.class);
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 2000;
    private static final String START_ID = "0-0";

    /**
     * Tuning of one log; {@link #from(RedisLogConfig)} reads it from configuration, whose comments say why
     * each default is what it is.
     */
    public record Settings(String keyPrefix, long maxEntries, long maxBytes, Duration maxAge, Duration commandTimeout,
                           int followBatch, Duration followBlock) {
        public Settings {
            Objects.requireNonNull(keyPrefix, "keyPrefix");
            if (maxEntries < 1 || maxBytes < 1 || followBatch < 1) {
                throw new IllegalArgumentException("appmanager.fanout.redis.max-entries, max-bytes and follow-batch must be positive"
                        + " (were " + maxEntries + ", " + maxBytes + ", " + followBatch + ")");
            }
            if (!isPositive(maxAge) || !isPositive(commandTimeout) || !isPositive(followBlock)) {
                throw new IllegalArgumentException("appmanager.fanout.redis.max-age, command-timeout and follow-block must be positive"
                        + " (were " + maxAge + ", " + commandTimeout + ", " + followBlock + ")");
            }
        }

        private static boolean isPositive(Duration d) {
            return d != null && !d.isNegative() && !d.isZero();
        }

        /** The documented defaults of {@link RedisLogConfig}. */
        public static Settings defaults() {
            return new Settings("appmanager:", 500_000, 256L * 1024 * 1024, Duration.ofSeconds(150),
                    Duration.ofSeconds(2), 512, Duration.ofSeconds(1));
        }

        public static Settings from(RedisLogConfig c) {
            return new Settings(c.keyPrefix(), c.maxEntries(), c.maxBytes(), c.maxAge(), c.commandTimeout(),
                    c.followBatch(), c.followBlock());
        }
    }

    // --- Lua. KEYS[1..4] are always epoch, stream, bytes, floor. Redis 6.2: no 7.0-only commands; every
    // script that writes calls redis.replicate_commands() first (append reads TIME, which 6.2 otherwise
    // forbids before writes; elsewhere it is harmless, and a no-op on 7).
    private static final String COMMON = """
            local function renew(candidate)
              redis.call('SET', KEYS[1], candidate)
              redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
              return candidate
            end
            local function ensure(candidate)
              local e = redis.call('GET', KEYS[1])
              if e then return e end
              return renew(candidate)
            end
            local function parts(id)
              local ms, seq = string.match(id, '^(%d+)%-(%d+)$')
              return tonumber(ms), tonumber(seq)
            end
            local function cmp(a, b)
              local am, as = parts(a)
              local bm, bs = parts(b)
              if am ~= bm then if am < bm then return -1 else return 1 end end
              if as ~= bs then if as < bs then return -1 else return 1 end end
              return 0
            end
            """;

    /** ARGV: epoch candidate, body, max entries, max bytes, max age ms. Returns {epoch, id}. */
    private static final Script APPEND = new Script(COMMON + """
            redis.replicate_commands()
            local epoch = ensure(ARGV[1])
            local body = ARGV[2]
            local maxEntries = tonumber(ARGV[3])
            local maxBytes = tonumber(ARGV[4])
            local maxAge = tonumber(ARGV[5])
            local id = redis.call('XADD', KEYS[2], '*', 'b', body)
            local bytes = redis.call('INCRBY', KEYS[3], #body)
            local count = redis.call('XLEN', KEYS[2])
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local floor = false
            while count > 1 do
              -- never the newest entry (the one just added): only the count - 1 oldest are candidates
              local chunk = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', math.min(count - 1, 100))
              local dels = {}
              local done = false
              for _, e in ipairs(chunk) do
                local ms = parts(e[1])
                if count > maxEntries or bytes > maxBytes or now - ms > maxAge then
                  dels[#dels + 1] = e[1]
                  bytes = bytes - #e[2][2]
                  count = count - 1
                  floor = e[1]
                else
                  done = true
                  break
                end
              end
              if #dels > 0 then redis.call('XDEL', KEYS[2], unpack(dels)) end
              if done or #dels == 0 then break end
            end
            if floor then
              redis.call('SET', KEYS[4], floor)
              redis.call('SET', KEYS[3], bytes)
            end
            return {epoch, id}
            """);

    /**
     * ARGV: epoch of the position, its id, max, epoch candidate. Returns {'epoch', current},
     * {'trimmed', oldest retained id, floor} or {'records', more (0/1), id, body, id, body...}.
     */
    private static final Script READ = new Script(COMMON + """
            redis.replicate_commands()
            local epoch = ensure(ARGV[4])
            if epoch ~= ARGV[1] then return {'epoch', epoch} end
            local after = ARGV[2]
            local floor = redis.call('GET', KEYS[4])
            if floor and cmp(floor, after) > 0 then
              local first = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)[1]
              if first then return {'trimmed', first[1], floor} end
              return {'trimmed', floor, floor}
            end
            if after ~= '0-0' and not (floor and cmp(floor, after) == 0)
                and #redis.call('XRANGE', KEYS[2], after, after) == 0 then
              return {'epoch', renew(ARGV[4])}
            end
            local max = tonumber(ARGV[3])
            local entries = redis.call('XRANGE', KEYS[2], '(' .. after, '+', 'COUNT', max + 1)
            local out = {'records', 0}
            for i, e in ipairs(entries) do
              if i > max then
                out[2] = 1
                break
              end
              out[#out + 1] = e[1]
              out[#out + 1] = e[2][2]
            end
            return out
            """);

    /** ARGV: epoch candidate. Returns {epoch, id of the newest entry or 0-0}. */
    private static final Script HEAD = new Script(COMMON + """
            redis.replicate_commands()
            local epoch = ensure(ARGV[1])
            local newest = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)[1]
            if newest then return {epoch, newest[1]} end
            return {epoch, '0-0'}
            """);

    /** KEYS: checkpoint hashes. ARGV: ttl ms, then seq and body of each. */
    private static final Script SAVE_CHECKPOINTS = new Script("""
            redis.replicate_commands()
            for i, key in ipairs(KEYS) do
              local seq = tonumber(ARGV[2 * i])
              local stored = redis.call('HGET', key, 'seq')
              if not stored or tonumber(stored) < seq then
                redis.call('HSET', key, 'seq', ARGV[2 * i], 'body', ARGV[2 * i + 1])
              end
              redis.call('PEXPIRE', key, ARGV[1])
            end
            return #KEYS
            """);

    private final Redis client;
    private final boolean ownsClient;
    private final Settings settings;
    private final String checkpointPrefix;
    private final List<String> logKeys;
    private final String streamKey;

    private volatile boolean available;
    private volatile String epoch;
    private volatile boolean closed;
    /** The follower's last attempt failed: appends waiting for it to start would only time out. */
    private volatile boolean followerDown;
    private final AtomicBoolean following = new AtomicBoolean();
    /** Completes when the follower knows where it starts; appends wait for it so none is missed. */
    private volatile CompletableFuture<Void> followStarted = CompletableFuture.completedFuture(null);
    private volatile Thread followerThread;

    /** On a client managed elsewhere (the Quarkus bean, or a test's); {@link #close()} leaves it open. */
    public RedisLog(io.vertx.mutiny.redis.client.Redis client, Settings settings) {
        this(client.getDelegate(), settings, false);
    }

    /** On a bare Vert.x client managed elsewhere; {@link #close()} leaves it open. */
    public RedisLog(Redis client, Settings settings) {
        this(client, settings, false);
    }

    private RedisLog(Redis client, Settings settings, boolean ownsClient) {
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ownsClient = ownsClient;
        String p = settings.keyPrefix();
        this.streamKey = p + "log";
        this.logKeys = List.of(p + "epoch", streamKey, p + "bytes", p + "floor");
        this.checkpointPrefix = p + "cp:";
    }

    /**
     * A log with its own client for {@code appmanager.fanout.redis.url}, on the given (Quarkus-managed)
     * Vert.x; {@link #close()} closes the client. IllegalStateException when no url is configured.
     */
    public static RedisLog create(io.vertx.core.Vertx vertx, RedisLogConfig config) {
        String url = config.url().orElseThrow(() -> new IllegalStateException("appmanager.fanout.redis.url is not set"));
        Settings settings = Settings.from(config);
        return new RedisLog(Redis.createClient(vertx, clientOptions(url, settings)), settings, true);
    }

    /** {@link #create(io.vertx.core.Vertx, RedisLogConfig)} for the Mutiny {@code Vertx} bean. */
    public static RedisLog create(io.vertx.mutiny.core.Vertx vertx, RedisLogConfig config) {
        return create(vertx.getDelegate(), config);
    }

    /**
     * Client options for a log: connections fail within the command timeout (instead of the 60 s default),
     * and up to 1024 commands may wait for one of 8 pooled connections (the default, 24, would refuse a
     * burst of concurrent publishes).
     */
    public static RedisOptions clientOptions(String url, Settings settings) {
        return new RedisOptions()
                .setConnectionString(url)
                .setMaxPoolSize(8)
                .setMaxPoolWaiting(1024)
                .setNetClientOptions(new NetClientOptions()
                        .setConnectTimeout((int) settings.commandTimeout().toMillis())
                        .setTcpKeepAlive(true)
                        .setTcpNoDelay(true));
    }

    public Settings settings() {
        return settings;
    }

    // --- SharedLog

    @Override
    public CompletionStage<LogPosition> append(String body) {
        Objects.requireNonNull(body, "body");
        CompletableFuture<Void> started = followStarted;
        if (!started.isDone() && followerDown) {
            return CompletableFuture.failedFuture(new EngineUnavailable("Redis log unavailable: not reachable yet"));
        }
        CompletionStage<Response> sent = started.thenCompose(x -> eval(client::send, APPEND, logKeys, List.of(
                newEpochCandidate(), body, Long.toString(settings.maxEntries()), Long.toString(settings.maxBytes()),
                Long.toString(settings.maxAge().toMillis()))).toCompletionStage());
        return timed(sent, "append").thenApply(r -> {
            String e = r.get(0).toString();
            epoch = e;
            return LogPosition.of(e, r.get(1).toString());
        });
    }

    @Override
    public CompletionStage<LogRead> readAfter(LogPosition after, int max) {
        Objects.requireNonNull(after, "after");
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive: " + max);
        }
        return timed(eval(client::send, READ, logKeys, readArgs(after.epoch(), after.streamId(), max)).toCompletionStage(), "read")
                .thenApply(r -> {
                    LogRead read = parseRead(after.epoch(), r);
                    epoch = read instanceof LogRead.OtherEpoch o ? o.currentEpoch() : after.epoch();
                    return read;
                });
    }

    @Override
    public boolean available() {
        return available;
    }

    @Override
    public String epoch() {
        return epoch;
    }

    @Override
    public CompletionStage<Void> saveCheckpoints(List<CheckpointWrite> checkpoints, Duration ttl) {
        Objects.requireNonNull(checkpoints, "checkpoints");
        if (ttl == null || ttl.toMillis() < 1) {
            throw new IllegalArgumentException("ttl must be at least 1 ms: " + ttl);
        }
        if (checkpoints.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<String> keys = new ArrayList<>(checkpoints.size());
        List<String> args = new ArrayList<>(1 + 2 * checkpoints.size());
        args.add(Long.toString(ttl.toMillis()));
        for (CheckpointWrite c : checkpoints) {
            keys.add(checkpointKey(c.sessionId()));
            args.add(Long.toString(c.seq()));
            args.add(c.body());
        }
        return timed(eval(client::send, SAVE_CHECKPOINTS, keys, args).toCompletionStage(), "save checkpoints")
                .thenApply(r -> null);
    }

    @Override
    public CompletionStage<Optional<String>> checkpoint(String sessionId) {
        Request hget = Request.cmd(Command.HGET).arg(checkpointKey(sessionId)).arg("body");
        return timed(client.send(hget).toCompletionStage(), "read checkpoint")
                .thenApply(r -> Optional.ofNullable(r).map(Response::toString));
    }

    @Override
    public CompletionStage<Void> deleteCheckpoint(String sessionId) {
        Request del = Request.cmd(Command.DEL).arg(checkpointKey(sessionId));
        return timed(client.send(del).toCompletionStage(), "delete checkpoint").thenApply(r -> null);
    }

    @Override
    public void follow(Follower follower) {
        Objects.requireNonNull(follower, "follower");
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (!following.compareAndSet(false, true)) {
            throw new IllegalStateException("already following");
        }
        CompletableFuture<Void> started = new CompletableFuture<>();
        followStarted = started;
        Thread t = new Thread(() -> followLoop(follower, started), "appmanager-redis-log-follower");
        t.setDaemon(true);
        followerThread = t;
        t.start();
    }

    /** Stops the follower (within a moment) and, if this log created its client, closes it. */
    @Override
    public void close() {
        closed = true;
        Thread t = followerThread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(settings.followBlock().plus(settings.commandTimeout()).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (ownsClient) {
            client.close();
        }
    }

    // --- the follower

    private void followLoop(Follower follower, CompletableFuture<Void> started) {
        Boolean reported = null;
        RedisConnection conn = null;
        String ep = null;
        String lastRead = null;
        long backoff = MIN_BACKOFF_MS;
        long timeout = settings.commandTimeout().toMillis();
        while (!closed) {
            try {
                if (conn == null) {
                    conn = await(client.connect(), timeout, "connect");
                    // its failures reach the pending command; without a handler Vert.x logs them as unhandled
                    conn.exceptionHandler(e -> LOG.debugf("Redis log follower connection: %s", e));
                }
                RedisConnection c = conn;
                if (lastRead == null) {
                    Response head = await(eval(c::send, HEAD, logKeys, List.of(newEpochCandidate())), timeout, "read the log's head");
                    ep = head.get(0).toString();
                    lastRead = head.get(1).toString();
                    epoch = ep;
                    reported = up(follower, reported);
                    started.complete(null);
                    continue;
                }
                Response r = await(eval(c::send, READ, logKeys, readArgs(ep, lastRead, settings.followBatch())), timeout, "read");
                reported = up(follower, reported);
                LogRead read = parseRead(ep, r);
                if (read instanceof LogRead.Records records) {
                    if (records.records().isEmpty()) {
                        // Only a wake-up: what arrived is read by the next READ, atomically with its epoch.
                        Request xread = Request.cmd(Command.XREAD).arg("BLOCK").arg(settings.followBlock().toMillis())
                                .arg("COUNT").arg(1).arg("STREAMS").arg(streamKey).arg(lastRead);
                        await(c.send(xread), settings.followBlock().toMillis() + timeout, "wait for entries");
                    } else {
                        lastRead = records.records().get(records.records().size() - 1).position().streamId();
                        deliver(() -> follower.records(records.records()));
                    }
                } else if (read instanceof LogRead.OtherEpoch other) {
                    LOG.warnf("Redis log: epoch changed from %s to %s (Redis restarted empty, failed over or lost entries); following from its start",
                            ep, other.currentEpoch());
                    ep = other.currentEpoch();
                    epoch = ep;
                    lastRead = START_ID;
                    LogPosition from = LogPosition.start(ep);
                    deliver(() -> follower.epochChanged(from));
                } else {
                    // This node fell behind trimming (e.g. it was cut off from Redis longer than max-age): same
                    // epoch, but entries up to the floor are gone for it. Reported like lost history.
                    String floor = r.get(2).toString();
                    LOG.warnf("Redis log: this node missed entries trimmed up to %s; following after them", floor);
                    lastRead = floor;
                    LogPosition from = LogPosition.of(ep, floor);
                    deliver(() -> follower.epochChanged(from));
                }
                backoff = MIN_BACKOFF_MS;
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                if (closed) {
                    break;
                }
                available = false;
                followerDown = true;
                if (conn != null) {
                    conn.close();
                    conn = null;
                }
                if (!Boolean.FALSE.equals(reported)) {
                    LOG.warnf("Redis log unavailable, retrying: %s", e.getMessage());
                    reported = false;
                    deliver(() -> follower.availability(false));
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    break;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
        if (conn != null) {
            conn.close();
        }
    }

    private Boolean up(Follower follower, Boolean reported) {
        available = true;
        followerDown = false;
        if (!Boolean.TRUE.equals(reported)) {
            if (reported != null) {
                LOG.info("Redis log reachable again");
            }
            deliver(() -> follower.availability(true));
        }
        return Boolean.TRUE;
    }

    /** A follower's exception is its own bug: logged, and following goes on. */
    private static void deliver(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.error("Redis log follower failed", e);
        }
    }

    // --- helpers

    private List<String> readArgs(String afterEpoch, String afterId, int max) {
        return List.of(afterEpoch, afterId, Integer.toString(max), newEpochCandidate());
    }

    private static LogRead parseRead(String afterEpoch, Response r) {
        String kind = r.get(0).toString();
        switch (kind) {
            case "epoch":
                return new LogRead.OtherEpoch(r.get(1).toString());
            case "trimmed":
                return new LogRead.Trimmed(LogPosition.of(afterEpoch, r.get(1).toString()));
            case "records":
                List<LogRecord> records = new ArrayList<>((r.size() - 2) / 2);
                for (int i = 2; i + 1 < r.size(); i += 2) {
                    records.add(new LogRecord(LogPosition.of(afterEpoch, r.get(i).toString()), r.get(i + 1).toString()));
                }
                return new LogRead.Records(List.copyOf(records), r.get(1).toInteger() == 1);
            default:
                throw new IllegalStateException("unexpected answer of the read script: " + kind);
        }
    }

    private String checkpointKey(String sessionId) {
        return checkpointPrefix + Objects.requireNonNull(sessionId, "sessionId");
    }

    private static String newEpochCandidate() {
        return UUID.randomUUID().toString();
    }

    /** EVALSHA, falling back to EVAL (which also caches the script) when Redis does not know it yet. */
    private static Future<Response> eval(Function<Request, Future<Response>> sender, Script script, List<String> keys, List<String> args) {
        return sender.apply(script.request(Command.EVALSHA, script.sha, keys, args)).recover(e -> {
            if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
                return sender.apply(script.request(Command.EVAL, script.text, keys, args));
            }
            return Future.failedFuture(e);
        });
    }

    /** Bounds a command by the command timeout; every failure becomes EngineUnavailable. */
    private <T> CompletionStage<T> timed(CompletionStage<T> stage, String what) {
        long ms = settings.commandTimeout().toMillis();
        CompletableFuture<T> out = new CompletableFuture<>();
        stage.toCompletableFuture().orTimeout(ms, TimeUnit.MILLISECONDS).whenComplete((v, e) -> {
            if (e == null) {
                available = true;
                out.complete(v);
            } else {
                out.completeExceptionally(failure(what, e, ms));
            }
        });
        return out;
    }

    private <T> T await(Future<T> future, long ms, String what) throws InterruptedException {
        try {
            return future.toCompletionStage().toCompletableFuture().get(ms, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw failure(what, e.getCause(), ms);
        } catch (TimeoutException e) {
            throw failure(what, e, ms);
        }
    }

    /** Redis answering with an error is not an outage; no answer, or no connection, is. */
    private EngineUnavailable failure(String what, Throwable e, long timeoutMs) {
        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (c instanceof EngineUnavailable u) {
            return u;
        }
        if (!(c instanceof ErrorType)) {
            available = false;
        }
        // Only a connection never made proves the command was not applied; a time-out or a connection lost
        // after the command left may have been applied, and the caller must say so (504, not 503).
        if (c instanceof TimeoutException) {
            return new EngineUnavailable("Redis log unavailable: " + what + " got no answer within " + timeoutMs + " ms", true);
        }
        return new EngineUnavailable("Redis log unavailable: " + what + " failed: " + c.getMessage(),
                !(c instanceof java.net.ConnectException));
    }

    private record Script(String text, String sha) {
        Script(String text) {
            this(text, sha1(text));
        }

        Request request(Command command, String script, List<String> keys, List<String> args) {
            Request r = Request.cmd(command).arg(script).arg(keys.size());
            keys.forEach(r::arg);
            args.forEach(r::arg);
            return r;
        }

        private static String sha1(String text) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
