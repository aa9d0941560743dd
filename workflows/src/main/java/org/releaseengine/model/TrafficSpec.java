package org.releaseengine.model;

import java.time.Duration;

/**
 * A small, bounded load of real requests sent through an environment's public URL while its
 * analysis runs, so that a release with no users yet is still measured: {@code rate} GETs of {@code
 * path} a second for {@code duration} (release.yaml's {@code verification.traffic}).
 */
public record TrafficSpec(String path, int rate, Duration duration) {

  /** The most requests a second release.yaml may ask for. */
  public static final int MAX_RATE = 50;

  /** The longest release.yaml may ask for. */
  public static final Duration MAX_DURATION = Duration.ofMinutes(5);

  /** How many requests the whole load is. */
  public long planned() {
    return rate * duration.toSeconds();
  }
}
