package io.appmanager.it;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Asked for the Redis engine without a Redis, the packaged service refuses to start rather than run single-node. */
class RedisEngineNeedsUrlIT {

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
}
