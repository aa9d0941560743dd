package org.releaseengine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The network a scanner's container gets: {@code none} (the default: only its own loopback) or
 * {@code outbound} (a bridge network of its own, for scanners that download advisories; never the
 * worker's host network, so never the worker's loopback services).
 */
public enum GateNetwork implements Spelled {
  NONE("none"),
  OUTBOUND("outbound");

  private final String value;

  GateNetwork(String value) {
    this.value = value;
  }

  /** The spelling in release.yaml, the JSON and the histories. */
  @Override
  @JsonValue
  public String value() {
    return value;
  }

  /** The network spelled {@code value}, or null when it is none. */
  public static GateNetwork parse(String value) {
    return Spelled.parse(GateNetwork.class, value);
  }

  @JsonCreator
  static GateNetwork of(String value) {
    return Spelled.strict(GateNetwork.class, value, "network");
  }

  @Override
  public String toString() {
    return value;
  }
}
