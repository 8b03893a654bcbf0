package io.appmanager.gateway;

import java.util.UUID;

/**
 * What ties a gateway session to an app session: which one, and the generation the connection was
 * accepted at (the close of a socket is reported with it, so a replaced socket cannot send a
 * healthy app session into grace).
 */
record AppBinding(UUID appSessionId, String packageName, String userSessionId) {
}
