package io.appmanager.sdk;

/**
 * Contents of the {@code resumed} event that completes a RESUME.
 *
 * @param sessionId the resumed session
 * @param seq       last seq of the session (the server repeats it, it is not a new number)
 * @param replayed  how many missed events the server replayed before this frame
 */
public record ResumedInfo(String sessionId, long seq, int replayed) {
}
