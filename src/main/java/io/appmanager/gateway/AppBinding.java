package io.appmanager.gateway;

import java.util.UUID;

/**
 * What ties a gateway session to an app session. The generation a socket was accepted at is kept
 * with the socket ({@link AppConnections.Bound}): its close is reported with it, so a replaced
 * socket cannot send a healthy app session into grace.
 */
record AppBinding(UUID appSessionId, String packageName, String userSessionId) {
}
