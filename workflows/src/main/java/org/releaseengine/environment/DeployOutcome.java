package org.releaseengine.environment;

/**
 * The environment workflow's answer to a {@link DeployOrder} (or a rollback with a reply address):
 * whether it succeeded, why not, and which sha was live before it.
 */
public record DeployOutcome(String orderId, boolean succeeded, String reason, String previousSha) {}
