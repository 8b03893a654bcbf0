package io.appmanager.bench;

import java.util.concurrent.TimeUnit;

/**
 * A baseline server the harness started as a child process (raw Vert.x, Socket.IO): what every such
 * target answers the same way. Baselines check no token, so both tokens are a placeholder unless a
 * subclass needs more (Socket.IO's handshake carries the topic).
 */
abstract class ChildProcessTarget implements Target {

    /** SIGTERM first, so Node's and the JVM's exit hooks run; a server not gone by then is killed. */
    private static final long TERMINATE_WAIT_SECONDS = 5;

    private final String name;
    protected final Process process;
    protected final int port;

    ChildProcessTarget(String name, Process process, int port) {
        this.name = name;
        this.process = process;
        this.port = port;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public String publishToken() {
        return "unchecked";
    }

    @Override
    public String sessionToken(int i, String topic) {
        return "unchecked";
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(TERMINATE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
