package io.appmanager.gateway;

/**
 * What the gateway does with a decoded frame, given how far the connection has got. Pure: the
 * socket loop in {@link GatewayConnection} only carries the decision out.
 */
final class InboundRules {

    enum Phase {
        /** HELLO sent; waiting for IDENTIFY or RESUME. */
        HANDSHAKE,
        /** READY or RESUMED sent. */
        READY,
        /** We decided to close; frames still in flight are ignored. */
        CLOSING
    }

    sealed interface Decision {
        record AckHeartbeat() implements Decision {
        }

        record Identify() implements Decision {
        }

        record Resume() implements Decision {
        }

        record Subscribe() implements Decision {
        }

        record Request() implements Decision {
        }

        /** Accepted for compatibility, no effect. */
        record Ignore() implements Decision {
        }

        /** Send INVALID_SESSION(false) first, then close: the client gets told before the socket goes. */
        record InvalidSessionThenClose(CloseCodes code, String reason) implements Decision {
        }

        record Close(CloseCodes code, String reason) implements Decision {
        }
    }

    private InboundRules() {
    }

    static Decision decide(Phase phase, int op) {
        return switch (phase) {
            case CLOSING -> new Decision.Ignore();
            case HANDSHAKE -> switch (op) {
                case OpCodes.HEARTBEAT -> new Decision.AckHeartbeat();
                case OpCodes.IDENTIFY -> new Decision.Identify();
                case OpCodes.RESUME -> new Decision.Resume();
                default -> new Decision.InvalidSessionThenClose(CloseCodes.NOT_AUTHENTICATED,
                        "op " + op + " before IDENTIFY");
            };
            case READY -> switch (op) {
                case OpCodes.HEARTBEAT -> new Decision.AckHeartbeat();
                case OpCodes.IDENTIFY, OpCodes.RESUME -> new Decision.Close(CloseCodes.ALREADY_AUTHENTICATED,
                        "already authenticated");
                case OpCodes.SUBSCRIBE -> new Decision.Subscribe();
                case OpCodes.REQUEST -> new Decision.Request();
                default -> OpCodes.isAccordClientOpWithoutEffect(op)
                        ? new Decision.Ignore()
                        : new Decision.Close(CloseCodes.UNKNOWN_OPCODE, "unknown op " + op);
            };
        };
    }

    /** Undecodable frames: before IDENTIFY the client is told INVALID_SESSION first, as accordserver does. */
    static Decision undecodable(Phase phase, String reason) {
        return switch (phase) {
            case HANDSHAKE -> new Decision.InvalidSessionThenClose(CloseCodes.DECODE_ERROR, reason);
            case READY -> new Decision.Close(CloseCodes.DECODE_ERROR, reason);
            case CLOSING -> new Decision.Ignore();
        };
    }
}
