package io.appmanager.sdk;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every callback, thread-safely, for assertions. */
class RecordingListener implements ClientListener {
    /** A close as reported to {@link #onDisconnected}. */
    record Disconnect(int code, String reason) {
    }

    /** A call to {@link #onReconnecting}. */
    record Reconnecting(int attempt, int max) {
    }

    /** A call to {@link #onSequenceAnomaly}. */
    record Anomaly(long expected, long actual) {
    }

    final List<ReadyInfo> readies = new CopyOnWriteArrayList<>();
    final List<ResumedInfo> resumes = new CopyOnWriteArrayList<>();
    final List<GatewayEvent> events = new CopyOnWriteArrayList<>();
    final List<Disconnect> disconnects = new CopyOnWriteArrayList<>();
    final List<Reconnecting> reconnects = new CopyOnWriteArrayList<>();
    final List<String> failures = new CopyOnWriteArrayList<>();
    final List<VersionNotice> notices = new CopyOnWriteArrayList<>();
    final List<Anomaly> anomalies = new CopyOnWriteArrayList<>();
    /** Names of the threads callbacks ran on. */
    final List<String> callbackThreads = new CopyOnWriteArrayList<>();

    @Override
    public void onReady(ReadyInfo ready) {
        callbackThreads.add(Thread.currentThread().getName());
        readies.add(ready);
    }

    @Override
    public void onResumed(ResumedInfo resumed) {
        callbackThreads.add(Thread.currentThread().getName());
        resumes.add(resumed);
    }

    @Override
    public void onEvent(GatewayEvent event) {
        callbackThreads.add(Thread.currentThread().getName());
        events.add(event);
    }

    @Override
    public void onDisconnected(int code, String reason) {
        callbackThreads.add(Thread.currentThread().getName());
        disconnects.add(new Disconnect(code, reason));
    }

    @Override
    public void onReconnecting(int attempt, int maxAttempts) {
        callbackThreads.add(Thread.currentThread().getName());
        reconnects.add(new Reconnecting(attempt, maxAttempts));
    }

    @Override
    public void onFailed(String reason) {
        callbackThreads.add(Thread.currentThread().getName());
        failures.add(reason);
    }

    @Override
    public void onVersionMismatch(VersionNotice notice) {
        callbackThreads.add(Thread.currentThread().getName());
        notices.add(notice);
    }

    @Override
    public void onSequenceAnomaly(long expected, long actual) {
        callbackThreads.add(Thread.currentThread().getName());
        anomalies.add(new Anomaly(expected, actual));
    }

    List<Long> eventSeqs() {
        return events.stream().map(GatewayEvent::seq).toList();
    }
}
