package io.appmanager.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Publish-to-deliver latencies in microseconds, recorded from any event-loop thread (HdrHistogram's
 * {@link Recorder} is wait-free for writers). {@link #interval()} hands back what was recorded since
 * the previous call, so each rate step of a scenario gets a histogram of its own.
 */
public final class LatencyRecorder {

    /** Anything slower than a minute is recorded as a minute: the run has failed long before. */
    static final long HIGHEST_MICROS = 60_000_000L;

    private final Recorder recorder = new Recorder(1, HIGHEST_MICROS, 3);

    /** Records one delivery of an event published at {@code publishedNanos} ({@link System#nanoTime()} of this JVM). */
    public void delivered(long publishedNanos, long nowNanos) {
        long micros = Math.max(0, (nowNanos - publishedNanos) / 1000);
        recorder.recordValue(Math.min(micros, HIGHEST_MICROS));
    }

    /** What was recorded since the previous call (or since construction). */
    public Histogram interval() {
        return recorder.getIntervalHistogram();
    }

    /** Percentiles of a histogram in milliseconds, for reports. */
    public record Percentiles(long count, double p50, double p90, double p99, double p999, double max) {
        static Percentiles of(Histogram h) {
            return new Percentiles(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                    ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
        }

        private static double ms(long micros) {
            return Math.round(micros / 10.0) / 100.0;
        }
    }
}
