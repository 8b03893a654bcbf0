package io.appmanager.support;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Redis binary from the embedded-redis package runs here, and a restart brings it back empty. */
class RedisServersTest {

    @Test
    void startsAnswersAndRestartsEmpty() throws Exception {
        try (RedisServers.Handle redis = RedisServers.start()) {
            assertTrue(redis.url().endsWith(":" + redis.port()), redis.url());
            assertEquals("+PONG", command(redis.port(), "PING"));
            assertEquals("+OK", command(redis.port(), "SET k v"));
            assertEquals("$1", command(redis.port(), "GET k"));
            redis.restart();
            assertEquals("$-1", command(redis.port(), "GET k"), "nothing survives a restart: no persistence");
        }
    }

    /** One inline command on a fresh connection; the first line of the reply. */
    private static String command(int port, String line) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }
}
