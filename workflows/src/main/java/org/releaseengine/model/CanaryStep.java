package org.releaseengine.model;

import java.time.Duration;
import java.util.List;

/**
 * One canary step, of one of three kinds: {@code setWeight} sends {@code weight} percent of
 * requests to the canary; {@code pause} waits {@code pause} (null: until someone promotes); {@code
 * analysis} measures the environment's verification checks named in {@code checks} (empty: all of
 * them) against the canary slot.
 */
public record CanaryStep(String kind, int weight, Duration pause, List<String> checks) {

  public static final String SET_WEIGHT = "setWeight";
  public static final String PAUSE = "pause";
  public static final String ANALYSIS = "analysis";

  public static CanaryStep setWeight(int percent) {
    return new CanaryStep(SET_WEIGHT, percent, null, null);
  }

  public static CanaryStep pause(Duration duration) {
    return new CanaryStep(PAUSE, 0, duration, null);
  }

  public static CanaryStep analysis(List<String> checks) {
    return new CanaryStep(ANALYSIS, 0, null, checks);
  }

  /** How the step reads in a status line. */
  public String describe() {
    return switch (kind) {
      case SET_WEIGHT -> "weight " + weight + "%";
      case PAUSE -> pause == null ? "pause until promoted" : "pause " + pause.toSeconds() + "s";
      default ->
          "analysis"
              + (checks == null || checks.isEmpty() ? "" : " of " + String.join(", ", checks));
    };
  }
}
