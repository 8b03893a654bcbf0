package io.appmanager.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Contents of the READY event that completes an IDENTIFY.
 *
 * @param sessionId           session to RESUME after a drop
 * @param userId              authenticated user
 * @param apiVersion          gateway API version the server speaks
 * @param serverVersion       server build version
 * @param heartbeatIntervalMs heartbeat interval the server expects
 * @param resumeWindowMs      how long the server keeps the session resumable after a drop
 * @param topics              topics the session is subscribed to
 * @param sdkMinVersion       oldest SDK version the server supports (may be null)
 * @param sdkLatestVersion    newest SDK version (may be null)
 * @param raw                 the whole READY data object, for fields this SDK does not know yet
 */
public record ReadyInfo(
        String sessionId,
        String userId,
        String apiVersion,
        String serverVersion,
        long heartbeatIntervalMs,
        long resumeWindowMs,
        List<String> topics,
        String sdkMinVersion,
        String sdkLatestVersion,
        JsonNode raw) {
}
