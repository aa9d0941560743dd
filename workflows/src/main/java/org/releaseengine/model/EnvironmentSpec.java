package org.releaseengine.model;

import java.time.Duration;
import java.util.List;

/**
 * One environment (staging, production): its hosts, the public URL that nginx serves, the two slot
 * ports, the health path, how long the previous slot stays warm for an instant rollback, and the
 * metric analysis that verifies a deploy (optional).
 */
public record EnvironmentSpec(
    String url,
    List<HostSpec> hosts,
    SlotPorts slots,
    String healthPath,
    Duration rollbackWindow,
    VerificationSpec verification) {

  public EnvironmentSpec(String url, List<HostSpec> hosts, SlotPorts slots, String healthPath,
      Duration rollbackWindow) {
    this(url, hosts, slots, healthPath, rollbackWindow, null);
  }
}
