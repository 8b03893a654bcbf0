package io.appmanager.it;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Misconfigured for the Redis engine, the packaged service refuses to start, naming the property, rather than run single-node. */
class RedisEngineStartupRefusalsIT {

    @Test
    void theRedisEngineWithoutAUrlStopsStartupNamingTheProperty() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PackagedService.start(Map.of("appmanager.fanout.engine", "redis")).close());
        assertTrue(e.getMessage().contains("appmanager.fanout.engine=redis needs appmanager.fanout.redis.url"), e.getMessage());
    }

    @Test
    void anUnknownEngineStopsStartupNamingTheProperty() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PackagedService.start(Map.of("appmanager.fanout.engine", "kafka")).close());
        assertTrue(e.getMessage().contains("appmanager.fanout.engine"), e.getMessage());
    }

    @Test
    void aRetentionThatIsNotPositiveStopsStartupNamingTheProperties() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PackagedService.start(Map.of(
                "appmanager.fanout.engine", "redis", "appmanager.fanout.redis.url", "redis://127.0.0.1:1",
                "appmanager.fanout.redis.max-entries", "0")).close());
        assertTrue(e.getMessage().contains("appmanager.fanout.redis.max-entries, max-bytes and follow-batch must be positive"),
                e.getMessage());
    }
}
