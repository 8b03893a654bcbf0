package io.appmanager.sdk;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One dispatched event (op 0) exactly as the server sent it.
 *
 * @param seq  per-session sequence number
 * @param type event type, e.g. {@code "message.created"}
 * @param data event payload ({@code NullNode} when absent)
 */
public record GatewayEvent(long seq, String type, JsonNode data) {
}
