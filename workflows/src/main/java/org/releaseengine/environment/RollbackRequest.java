package org.releaseengine.environment;

/**
 * A request to put an earlier sha back into an environment. {@code sha} may be a unique prefix of
 * at least 7 characters; {@code requestId} names the outcome in the operations list; when {@code
 * replyTo} names a release workflow, the outcome is also signalled to it (automatic rollback after
 * a failed verification).
 */
public record RollbackRequest(String sha, String requester, String requestId, String replyTo) {}
