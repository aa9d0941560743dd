package org.releaseengine.environment;

import org.releaseengine.model.Slot;

/**
 * The environment workflow's answer to a {@link DeployOrder} (or a rollback with a reply address):
 * whether it succeeded, why not, which sha was live before it, and which slot is live now.
 */
public record DeployOutcome(String orderId, boolean succeeded, String reason, String previousSha, Slot liveSlot) {}
