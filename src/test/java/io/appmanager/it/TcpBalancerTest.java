package io.appmanager.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The harness's balancer on its own: round-robin, skipping a refusing backend, piping, closing both sides. */
class TcpBalancerTest {

    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void roundRobinSkipsARefusingBackendAndPipesBothWays() throws Exception {
        int a = echoServer("a");
        int b = echoServer("b");
        int dead = PackagedService.freePort(); // nothing listens: connections are refused
        TcpBalancer lb = TcpBalancer.start(List.of(a, dead, b));
        open.add(lb);

        List<String> landed = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            try (Socket s = connect(lb.port())) {
                s.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
                landed.add(readLine(s.getInputStream()));
            }
        }
        // start index a, dead(->b), b, a, dead(->b), b
        assertEquals(List.of("a:ping", "b:ping", "b:ping", "a:ping", "b:ping", "b:ping"), landed);
        assertEquals(2, lb.acceptedConnections(a));
        assertEquals(4, lb.acceptedConnections(b));
        assertEquals(0, lb.acceptedConnections(dead));
        await().atMost(Duration.ofSeconds(5)).until(() -> lb.openConnections(a) + lb.openConnections(b) == 0);

        lb.backends(List.of(dead));
        try (Socket s = connect(lb.port())) {
            assertEquals(-1, s.getInputStream().read(), "no backend accepts: the client is closed");
        }
        assertEquals(1, lb.refusedByAll());
    }

    @Test
    void aBackendThatClosesClosesTheClient() throws Exception {
        ServerSocket backend = new ServerSocket(0);
        open.add(backend);
        TcpBalancer lb = TcpBalancer.start(List.of(backend.getLocalPort()));
        open.add(lb);
        try (Socket client = connect(lb.port())) {
            Socket accepted = backend.accept();
            accepted.getOutputStream().write("bye\n".getBytes(StandardCharsets.US_ASCII));
            accepted.close();
            assertEquals("bye", readLine(client.getInputStream()), "bytes written before the close arrive");
            assertEquals(-1, client.getInputStream().read());
            await().atMost(Duration.ofSeconds(5)).until(() -> lb.openConnections(backend.getLocalPort()) == 0);
        }
    }

    /** Answers each line with "name:line" on every connection. */
    private int echoServer(String name) throws Exception {
        ServerSocket server = new ServerSocket(0);
        open.add(server);
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    String line = readLine(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    out.write((name + ":" + line + "\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (Exception e) {
                    // closed by the test
                }
            }
        }, "echo-" + name);
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }

    private static Socket connect(int port) throws Exception {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(5_000);
        return s;
    }

    private static String readLine(InputStream in) throws Exception {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            b.append((char) c);
        }
        return b.toString();
    }
}
