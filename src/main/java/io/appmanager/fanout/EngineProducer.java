package io.appmanager.fanout;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.appmanager.apps.AppSessions;
import io.appmanager.apps.AppSessionsConfig;
import io.appmanager.fanout.redis.RedisLog;
import io.appmanager.fanout.redis.RedisLogConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;

/**
 * Chooses the engine, {@code appmanager.fanout.engine}: in-process unless told otherwise. The Redis
 * engine refuses to start without {@code appmanager.fanout.redis.url} rather than run single-node by
 * surprise.
 */
@ApplicationScoped
public class EngineProducer {

    private volatile RedisLog redisLog;

    @Produces
    @ApplicationScoped
    FanoutEngine engine(FanoutConfig config, Hub hub, Vertx vertx, RedisLogConfig redis, ObjectMapper json,
                        AppSessionsConfig apps, MeterRegistry registry) {
        if (config.engine() == FanoutConfig.Engine.IN_PROCESS) {
            return new InProcessEngine(hub);
        }
        if (redis.url().isEmpty()) {
            throw new IllegalStateException("appmanager.fanout.engine=redis needs appmanager.fanout.redis.url "
                    + "(redis://host:6379); see docs/operations.md");
        }
        redisLog = RedisLog.create(vertx, redis);
        return new RedisEngine(hub, redisLog, new FeedCodec(json), AppSessions.nodeName(apps), registry).start();
    }

    /** Created at start, not on first use: a Redis engine must be following the log before sessions exist. */
    void start(@Observes StartupEvent e, FanoutEngine engine) {
        engine.available();
    }

    void stop(@Observes ShutdownEvent e) {
        RedisLog log = redisLog;
        if (log != null) {
            log.close();
        }
    }
}
