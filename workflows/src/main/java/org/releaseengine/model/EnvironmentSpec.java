package org.releaseengine.model;

import java.time.Duration;
import java.util.List;

/**
 * One environment (staging, production): its hosts, the public URL that nginx serves, the two slot
 * ports, the health path, how long the previous slot stays warm for an instant rollback, the metric
 * analysis that verifies a deploy (optional), and a canary rollout (optional; without it a deploy
 * is one blue-green switch).
 */
public record EnvironmentSpec(
    String url,
    List<HostSpec> hosts,
    SlotPorts slots,
    String healthPath,
    Duration rollbackWindow,
    VerificationSpec verification,
    CanarySpec canary) {

  public EnvironmentSpec(
      String url,
      List<HostSpec> hosts,
      SlotPorts slots,
      String healthPath,
      Duration rollbackWindow) {
    this(url, hosts, slots, healthPath, rollbackWindow, null, null);
  }

  public EnvironmentSpec(
      String url,
      List<HostSpec> hosts,
      SlotPorts slots,
      String healthPath,
      Duration rollbackWindow,
      VerificationSpec verification) {
    this(url, hosts, slots, healthPath, rollbackWindow, verification, null);
  }

  /** The same environment rolled out by {@code canary}. */
  public EnvironmentSpec withCanary(CanarySpec canary) {
    return new EnvironmentSpec(url, hosts, slots, healthPath, rollbackWindow, verification, canary);
  }
}
