package io.appmanager.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

import java.io.IOException;

/** One decoded client frame, or why it could not be decoded. */
public sealed interface InboundFrame {

    record Frame(int op, JsonNode data) implements InboundFrame {
    }

    record Undecodable(String reason) implements InboundFrame {
    }

    /** Parses the envelope only; what {@code data} must hold is the handler's business. */
    static InboundFrame decode(ObjectMapper json, byte[] bytes) {
        JsonNode root;
        try {
            root = json.readTree(bytes);
        } catch (IOException e) {
            return new Undecodable("not JSON");
        }
        if (root == null || !root.isObject()) {
            return new Undecodable("frame must be a JSON object");
        }
        JsonNode op = root.get("op");
        if (op == null || !op.isIntegralNumber() || !op.canConvertToInt()) {
            return new Undecodable("op must be an integer");
        }
        JsonNode data = root.get("data");
        return new Frame(op.intValue(), data == null ? NullNode.getInstance() : data);
    }
}
