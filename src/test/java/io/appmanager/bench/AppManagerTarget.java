package io.appmanager.bench;

import io.appmanager.it.PackagedService;
import io.appmanager.support.Tokens;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged AppManager ({@code target/quarkus-app/quarkus-run.jar}) as a child process, started
 * like the integration tests start it ({@link PackagedService}): in-process engine, embedded
 * PostgreSQL on a free port, test HS256 secret. Limits that would otherwise throttle the load
 * generator rather than measure the gateway are raised, and the heap is explicit.
 */
public final class AppManagerTarget implements Target {

    /** Heap for the service; the raw baseline gets the same. */
    static final String HEAP = "-Xmx1g";

    /**
     * The JVM options of a JVM target: the heap, and with {@code jfr=<dir>} (BenchMain sets the
     * system property {@code bench.jfr}) a JFR profile recording named {@code bench}, which BenchMain
     * dumps to {@code <dir>/<target>.jfr} before the target is stopped (it is killed, so a recording
     * left to be written at exit would be lost).
     */
    static List<String> jvmOptions() {
        String jfr = System.getProperty("bench.jfr");
        if (jfr == null || jfr.isBlank()) {
            return List.of(HEAP);
        }
        return List.of(HEAP, "-XX:StartFlightRecording=name=bench,settings=profile");
    }

    /** The drain (app sockets, then the gateway's 5 s close timeout) and stopping PostgreSQL fit well within it. */
    private static final java.time.Duration SHUTDOWN_TIMEOUT = java.time.Duration.ofSeconds(60);

    private final PackagedService service;

    private AppManagerTarget(PackagedService service) {
        this.service = service;
    }

    public static AppManagerTarget start() throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        // one publisher drives the whole load: the per-publisher limit (200/s) would measure itself
        config.put("appmanager.fanout.publish-rate.per-second", "1000000");
        config.put("appmanager.fanout.publish-rate.burst", "1000000");
        // a session the load client reads late is a measurement (latency), not a slow consumer to drop
        config.put("appmanager.gateway.outbound.max-frames", "65536");
        config.put("appmanager.gateway.outbound.max-bytes", "67108864");
        // thousands of handshakes on 2 shared cores
        config.put("appmanager.gateway.handshake-timeout", "120s");
        config.put("quarkus.log.level", "WARN");
        // the test secret, a fresh sealing key and a fresh embedded PostgreSQL, as in the integration tests
        return new AppManagerTarget(PackagedService.start(jvmOptions(), config));
    }

    @Override
    public String name() {
        return "appmanager";
    }

    @Override
    public int port() {
        return service.port();
    }

    @Override
    public long pid() {
        return service.pid();
    }

    @Override
    public String publishToken() {
        return Tokens.of("bench-publisher").publish("bench.*").signedWith(PackagedService.SECRET).mint();
    }

    @Override
    public String sessionToken(int i, String topic) {
        return Tokens.of("bench-" + i).topics(topic).signedWith(PackagedService.SECRET).mint();
    }

    @Override
    public String adminToken() {
        return Tokens.of("bench-admin").admin().signedWith(PackagedService.SECRET).mint();
    }

    /**
     * SIGTERM first: the service's shutdown hook stops its embedded PostgreSQL, which pg_ctl daemonised and a
     * SIGKILL would leave running (one idle postmaster per benchmark run). Killed if it does not exit in time.
     */
    @Override
    public void close() {
        try {
            service.terminateAndWait(SHUTDOWN_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (AssertionError notExited) {
            System.out.println("appmanager did not exit within " + SHUTDOWN_TIMEOUT + " of SIGTERM: killed");
        } finally {
            service.close();
        }
    }
}
