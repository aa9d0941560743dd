package org.releaseengine.model;

import java.time.Duration;
import java.util.List;

/**
 * One environment (staging, production): its hosts, the public URL that nginx serves, the two slot
 * ports, the health path, how long the previous slot stays warm for an instant rollback, the metric
 * analysis that verifies a deploy (optional), and a canary rollout (optional; without it a deploy
 * is one blue-green switch), and how long a switch waits for the old nginx workers to finish their
 * requests ({@code drainTimeout}, default 30 s; past it the switch stands and the old slot, still
 * warm, finishes them).
 */
public record EnvironmentSpec(
    String url,
    List<HostSpec> hosts,
    SlotPorts slots,
    String healthPath,
    Duration rollbackWindow,
    VerificationSpec verification,
    CanarySpec canary,
    Duration drainTimeout) {

  /** The health path when the spec names none. */
  public static final String DEFAULT_HEALTH_PATH = "/healthz";

  /** How long the previous slot stays warm when the spec does not say. */
  public static final Duration DEFAULT_ROLLBACK_WINDOW = Duration.ofMinutes(30);

  public EnvironmentSpec(
      String url,
      List<HostSpec> hosts,
      SlotPorts slots,
      String healthPath,
      Duration rollbackWindow,
      VerificationSpec verification,
      CanarySpec canary) {
    this(url, hosts, slots, healthPath, rollbackWindow, verification, canary, null);
  }

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
    return new EnvironmentSpec(
        url, hosts, slots, healthPath, rollbackWindow, verification, canary, drainTimeout);
  }
}
