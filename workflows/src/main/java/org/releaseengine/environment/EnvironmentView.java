package org.releaseengine.environment;

import java.util.List;
import org.releaseengine.model.Slot;

/**
 * What `release-cli history` shows: deployments newest first, what is live and warm, operations.
 */
public record EnvironmentView(
    String service,
    String environment,
    List<ShaRecord> deployments,
    String liveSha,
    Slot liveSlot,
    WarmSlot warm,
    List<Operation> operations) {

  /** A sha with its deployment, flattened for display. */
  public record ShaRecord(
      String sha, String digest, long deployedAtMs, String requestedBy, String via) {}

  public Operation operation(String id) {
    return operations.stream().filter(o -> o.id().equals(id)).findFirst().orElse(null);
  }
}
