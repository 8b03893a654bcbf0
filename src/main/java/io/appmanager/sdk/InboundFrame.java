package io.appmanager.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalLong;

/**
 * A parsed server frame.
 *
 * @param op   opcode
 * @param seq  sequence number, present on op 0
 * @param type event type, present on op 0 (null otherwise)
 * @param data payload ({@code MissingNode} when absent)
 */
record InboundFrame(int op, OptionalLong seq, String type, JsonNode data) {
}
