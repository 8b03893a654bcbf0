package io.appmanager.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.appmanager.support.Gw;
import io.appmanager.support.RawSocket;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIGTERM to the packaged service: every client is told RECONNECT, then closed with 1001, and the process exits cleanly. */
class GracefulShutdownIT {

    @Test
    void sigtermSendsReconnectThenGoingAwayToEveryClient() throws Exception {
        try (PackagedService service = PackagedService.start(Map.of())) {
            String token = Jwt.subject("sigterm").expiresIn(600).jws().algorithm(SignatureAlgorithm.HS256)
                    .sign(new SecretKeySpec(PackagedService.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            RawSocket a = RawSocket.connect(service.ws());
            RawSocket b = RawSocket.connect(service.ws());
            for (RawSocket s : new RawSocket[]{a, b}) {
                assertEquals(5, s.next().path("op").asInt());
                s.send(Gw.identify(token));
                assertEquals("ready", s.next().path("type").asText());
            }
            long start = System.nanoTime();
            service.terminate();
            for (RawSocket s : new RawSocket[]{a, b}) {
                JsonNode reconnect = s.next(Duration.ofSeconds(10));
                assertEquals(6, reconnect.path("op").asInt(), "RECONNECT before the close: " + reconnect);
                RawSocket.Closed closed = s.awaitClose();
                assertEquals(1001, closed.code());
            }
            int exit = service.awaitExit(Duration.ofSeconds(30));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(exit == 0 || exit == 143, "clean exit (0, or 143 for SIGTERM), got " + exit + ": " + service.output());
            assertTrue(service.output().contains("drain: asked 2 sockets to reconnect"), service.output());
            System.out.printf("SIGTERM to exit: %d ms%n", tookMs);
        }
    }
}
