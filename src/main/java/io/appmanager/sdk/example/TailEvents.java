package io.appmanager.sdk.example;

import io.appmanager.sdk.AccordClient;
import io.appmanager.sdk.ClientListener;
import io.appmanager.sdk.GatewayEvent;
import io.appmanager.sdk.ReadyInfo;
import io.appmanager.sdk.ResumedInfo;
import io.appmanager.sdk.VersionNotice;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Connects with the SDK and prints every event until Ctrl-C: the README's walk-through.
 * Usage: {@code TailEvents <gateway url> <token> [intent ...]} (default intents: messages).
 */
public final class TailEvents {

    private TailEvents() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: TailEvents <ws://host:port/ws?v=1&encoding=json> <token> [intent ...]");
            System.exit(2);
        }
        List<String> intents = args.length > 2 ? List.of(args).subList(2, args.length) : List.of("messages");
        CountDownLatch failed = new CountDownLatch(1);
        AccordClient client = AccordClient.builder(URI.create(args[0]))
                .tokenProvider(() -> "Bearer " + args[1])
                .intents(intents)
                .listener(new ClientListener() {
                    @Override
                    public void onReady(ReadyInfo r) {
                        System.out.printf("ready session=%s user=%s server=%s topics=%s%n",
                                r.sessionId(), r.userId(), r.serverVersion(), r.topics());
                    }

                    @Override
                    public void onResumed(ResumedInfo r) {
                        System.out.printf("resumed %s%n", r);
                    }

                    @Override
                    public void onEvent(GatewayEvent e) {
                        System.out.printf("event seq=%d type=%s data=%s%n", e.seq(), e.type(), e.data());
                    }

                    @Override
                    public void onDisconnected(int code, String reason) {
                        System.out.printf("disconnected %d %s%n", code, reason);
                    }

                    @Override
                    public void onReconnecting(int attempt, int max) {
                        System.out.printf("reconnecting %d/%d%n", attempt, max);
                    }

                    @Override
                    public void onVersionMismatch(VersionNotice n) {
                        System.out.printf("version notice: %s%n", n.message());
                    }

                    @Override
                    public void onFailed(String reason) {
                        System.out.printf("failed: %s%n", reason);
                        failed.countDown();
                    }
                })
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(client::close));
        client.connect();
        failed.await();
        System.exit(1);
    }
}
