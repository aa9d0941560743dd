package org.releaseengine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The report formats a scanner may write. */
public enum ReportFormat {
  SARIF("sarif"),
  NPM_AUDIT("npm-audit"),
  OSV("osv");

  private final String value;

  ReportFormat(String value) {
    this.value = value;
  }

  /** The spelling in release.yaml, the JSON and the histories. */
  @JsonValue
  public String value() {
    return value;
  }

  /** The report format spelled {@code value}, or null when it is none. */
  public static ReportFormat parse(String value) {
    for (ReportFormat each : values()) {
      if (each.value.equals(value)) {
        return each;
      }
    }
    return null;
  }

  @JsonCreator
  static ReportFormat of(String value) {
    ReportFormat found = parse(value);
    if (found == null && value != null) {
      throw new IllegalArgumentException("unknown report format '" + value + "'");
    }
    return found;
  }

  @Override
  public String toString() {
    return value;
  }
}
