package io.appmanager.platform.db;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Set;

/**
 * Offers {@code embedded-postgres.free-port} (outside the appmanager.* mappings, which reject unknown keys): a port free when first asked, fixed for the
 * JVM. The test profile runs its embedded PostgreSQL there, so test runs never collide with a
 * developer's running service or with each other.
 */
public class FreePortConfigSource implements ConfigSource {

    static final String NAME = "embedded-postgres.free-port";
    private static volatile Integer port;

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(NAME);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(NAME, getValue(NAME));
    }

    @Override
    public String getValue(String propertyName) {
        if (!NAME.equals(propertyName)) {
            return null;
        }
        if (port == null) {
            synchronized (FreePortConfigSource.class) {
                if (port == null) {
                    try (ServerSocket s = new ServerSocket(0)) {
                        port = s.getLocalPort();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return port.toString();
    }

    @Override
    public String getName() {
        return "appmanager-free-port";
    }

    /** Below application.properties (250), so an explicit setting wins. */
    @Override
    public int getOrdinal() {
        return 50;
    }
}
