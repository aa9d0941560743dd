package org.releaseengine.model;

import java.time.Duration;
import java.util.List;

/**
 * One environment (staging, production): its hosts, the public URL that nginx serves, the two slot
 * ports, the health path, how long the previous slot stays warm for an instant rollback, the metric
 * analysis that verifies a deploy (optional), and a canary rollout (optional; without it a deploy
 * is one blue-green switch), and how long a switch waits for the old nginx workers to finish their
 * requests ({@code drainTimeout}, default 30 s; past it the switch stands and the old slot, still
 * warm, finishes them). The app contract's settings (docs/app-contract.md) and the container's
 * configuration were added later and may be null: the health check's expected status ({@code
 * healthStatus}, default 200) and start-up budget ({@code healthTimeout}, default 60 s), the
 * version check's path ({@code versionPath}, default {@code /version}, {@code none} to skip it),
 * how long a stopping container gets after SIGTERM ({@code stopTimeout}, default 10 s), and {@code
 * container}.
 */
public record EnvironmentSpec(
    String url,
    List<HostSpec> hosts,
    SlotPorts slots,
    String healthPath,
    Duration rollbackWindow,
    VerificationSpec verification,
    CanarySpec canary,
    Duration drainTimeout,
    Integer healthStatus,
    Duration healthTimeout,
    String versionPath,
    Duration stopTimeout,
    ContainerSpec container) {

  /** The status the health path must answer when the spec names none. */
  public static final int DEFAULT_HEALTH_STATUS = 200;

  /** How long a new slot has to answer its health check when the spec does not say. */
  public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(60);

  /** The version path when the spec names none. */
  public static final String DEFAULT_VERSION_PATH = "/version";

  /** {@code versionPath: none}: the version check is off. */
  public static final String NO_VERSION_CHECK = "none";

  /** How long a container has between SIGTERM and SIGKILL when the spec does not say. */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

  public EnvironmentSpec(
      String url,
      List<HostSpec> hosts,
      SlotPorts slots,
      String healthPath,
      Duration rollbackWindow,
      VerificationSpec verification,
      CanarySpec canary,
      Duration drainTimeout) {
    this(
        url,
        hosts,
        slots,
        healthPath,
        rollbackWindow,
        verification,
        canary,
        drainTimeout,
        null,
        null,
        null,
        null,
        null);
  }

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
        url,
        hosts,
        slots,
        healthPath,
        rollbackWindow,
        verification,
        canary,
        drainTimeout,
        healthStatus,
        healthTimeout,
        versionPath,
        stopTimeout,
        container);
  }

  /** The same environment on {@code hosts}. */
  public EnvironmentSpec withHosts(List<HostSpec> hosts) {
    return new EnvironmentSpec(
        url,
        hosts,
        slots,
        healthPath,
        rollbackWindow,
        verification,
        canary,
        drainTimeout,
        healthStatus,
        healthTimeout,
        versionPath,
        stopTimeout,
        container);
  }

  /** The same environment whose container runs as {@code container} says. */
  public EnvironmentSpec withContainer(ContainerSpec container) {
    return new EnvironmentSpec(
        url,
        hosts,
        slots,
        healthPath,
        rollbackWindow,
        verification,
        canary,
        drainTimeout,
        healthStatus,
        healthTimeout,
        versionPath,
        stopTimeout,
        container);
  }

  /** The status the health path must answer. */
  public int expectedHealthStatus() {
    return healthStatus == null ? DEFAULT_HEALTH_STATUS : healthStatus;
  }

  /** How long a new slot has to become healthy. */
  public Duration healthBudget() {
    return healthTimeout == null ? DEFAULT_HEALTH_TIMEOUT : healthTimeout;
  }

  /** The path that must answer the released sha, or null when the version check is off. */
  public String versionCheckPath() {
    if (versionPath == null) {
      return DEFAULT_VERSION_PATH;
    }
    return NO_VERSION_CHECK.equals(versionPath) ? null : versionPath;
  }

  /** How long a stopping container has between SIGTERM and SIGKILL. */
  public Duration stopBudget() {
    return stopTimeout == null ? DEFAULT_STOP_TIMEOUT : stopTimeout;
  }
}
