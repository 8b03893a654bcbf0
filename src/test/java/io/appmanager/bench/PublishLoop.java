package io.appmanager.bench;

import java.util.concurrent.TimeUnit;

/**
 * Keeps a {@link Publisher} going at a fixed rate until stopped, for a scenario whose length is not
 * known in advance (the reconnect storm lasts as long as the servers take): one-second runs back to back.
 */
final class PublishLoop {

    /** Length of one run; {@link #stop()} returns at most this much later. */
    private static final double RUN_SECONDS = 1;

    private final Thread thread;
    private volatile boolean stopping;
    private long due;
    private long sent;
    private long ok;
    private long failed;
    private String lastFailure;

    PublishLoop(Publisher publisher, double perSecond) {
        thread = new Thread(() -> {
            while (!stopping) {
                try {
                    Publisher.Step step = publisher.run(perSecond, RUN_SECONDS).get(1, TimeUnit.MINUTES);
                    synchronized (this) {
                        due += step.due();
                        sent += step.sent();
                        ok += step.ok();
                        failed += step.failed();
                        lastFailure = step.lastFailure() != null ? step.lastFailure() : lastFailure;
                    }
                } catch (Exception e) {
                    synchronized (this) {
                        failed++;
                        lastFailure = e.toString();
                    }
                }
            }
        }, "publish-loop");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops after the run under way; returns what all runs together did. */
    Publisher.Step stop() throws InterruptedException {
        stopping = true;
        thread.join();
        synchronized (this) {
            return new Publisher.Step(due, sent, ok, failed, lastFailure);
        }
    }
}
