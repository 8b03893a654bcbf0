package io.appmanager.support;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;

/** The test instance on the Redis engine ({@link RedisEngineResource}); tests sharing it share one boot. */
public class OnRedisEngine implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RedisEngineResource.class));
    }
}
