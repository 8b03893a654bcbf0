package io.appmanager.sdk;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Immutable settings collected by {@link AccordClient.Builder}.
 *
 * @param gatewayUrl             WebSocket URL
 * @param tokenProvider          current token
 * @param tokenRefresher         new token after a fatal close or exhaustion; null when not configured
 * @param intents                intents sent in IDENTIFY
 * @param properties             user properties merged into IDENTIFY properties
 * @param listener               user callbacks
 * @param reconnectPolicy        retry timing
 * @param outboundQueueCapacity  frames held while not READY
 * @param random                 source of values in [0, 1) for jitter
 * @param httpClient             client used to open sockets
 */
record ClientConfig(
        URI gatewayUrl,
        Supplier<String> tokenProvider,
        Supplier<String> tokenRefresher,
        List<String> intents,
        Map<String, Object> properties,
        ClientListener listener,
        ReconnectPolicy reconnectPolicy,
        int outboundQueueCapacity,
        DoubleSupplier random,
        HttpClient httpClient) {
}
