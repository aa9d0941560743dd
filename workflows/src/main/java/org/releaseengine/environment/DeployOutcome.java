package org.releaseengine.environment;

import org.releaseengine.model.Slot;

/**
 * The environment workflow's answer to a {@link DeployOrder} (or a rollback with a reply address):
 * whether it succeeded, why not, which sha was live before it, which slot is live now, and whether
 * the new version had taken traffic before it was taken back (a failed canary).
 */
public record DeployOutcome(
    String orderId,
    boolean succeeded,
    String reason,
    String previousSha,
    Slot liveSlot,
    boolean rolledBack) {

  public DeployOutcome(
      String orderId, boolean succeeded, String reason, String previousSha, Slot liveSlot) {
    this(orderId, succeeded, reason, previousSha, liveSlot, false);
  }
}
