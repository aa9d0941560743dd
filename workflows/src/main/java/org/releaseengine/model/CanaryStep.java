package org.releaseengine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.List;

/**
 * One canary step, of one of three kinds: {@code setWeight} sends {@code weight} percent of
 * requests to the canary; {@code pause} waits {@code pause} (null: until someone promotes); {@code
 * analysis} measures the environment's verification checks named in {@code checks} (empty: all of
 * them) against the canary slot.
 */
public record CanaryStep(Kind kind, int weight, Duration pause, List<String> checks) {

  /** The three kinds of step, spelled as their key in release.yaml. */
  public enum Kind implements Spelled {
    SET_WEIGHT("setWeight"),
    PAUSE("pause"),
    ANALYSIS("analysis");

    private final String value;

    Kind(String value) {
      this.value = value;
    }

    /** The spelling in release.yaml, the JSON and the histories. */
    @Override
    @JsonValue
    public String value() {
      return value;
    }

    /** The canary step spelled {@code value}, or null when it is none. */
    public static Kind parse(String value) {
      return Spelled.parse(Kind.class, value);
    }

    @JsonCreator
    static Kind of(String value) {
      return Spelled.strict(Kind.class, value, "canary step");
    }

    @Override
    public String toString() {
      return value;
    }
  }

  public static CanaryStep setWeight(int percent) {
    return new CanaryStep(Kind.SET_WEIGHT, percent, null, null);
  }

  public static CanaryStep pause(Duration duration) {
    return new CanaryStep(Kind.PAUSE, 0, duration, null);
  }

  public static CanaryStep analysis(List<String> checks) {
    return new CanaryStep(Kind.ANALYSIS, 0, null, checks);
  }

  /** How the step reads in a status line. */
  public String describe() {
    return switch (kind) {
      case SET_WEIGHT -> "weight " + weight + "%";
      case PAUSE -> pause == null ? "pause until promoted" : "pause " + pause.toSeconds() + "s";
      case ANALYSIS ->
          "analysis"
              + (checks == null || checks.isEmpty() ? "" : " of " + String.join(", ", checks));
    };
  }
}
