package io.appmanager.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Runs the test instance on the Redis engine against a real Redis server (the embedded-redis binary);
 * {@link #redis()} lets a test stop and restart it.
 */
public class RedisEngineResource implements QuarkusTestResourceLifecycleManager {

    private static volatile RedisServers.Handle redis;

    public static RedisServers.Handle redis() {
        return redis;
    }

    @Override
    public Map<String, String> start() {
        redis = RedisServers.start();
        return Map.of("appmanager.fanout.engine", "redis", "appmanager.fanout.redis.url", redis.url(),
                "appmanager.app-sessions.node-id", "node-under-test");
    }

    @Override
    public void stop() {
        if (redis != null) {
            redis.stop();
        }
    }
}
