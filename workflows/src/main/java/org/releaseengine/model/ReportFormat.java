package org.releaseengine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The report formats a scanner may write. */
public enum ReportFormat implements Spelled {
  SARIF("sarif"),
  NPM_AUDIT("npm-audit"),
  OSV("osv");

  private final String value;

  ReportFormat(String value) {
    this.value = value;
  }

  /** The spelling in release.yaml, the JSON and the histories. */
  @Override
  @JsonValue
  public String value() {
    return value;
  }

  /** The report format spelled {@code value}, or null when it is none. */
  public static ReportFormat parse(String value) {
    return Spelled.parse(ReportFormat.class, value);
  }

  @JsonCreator
  static ReportFormat of(String value) {
    return Spelled.strict(ReportFormat.class, value, "report format");
  }

  @Override
  public String toString() {
    return value;
  }
}
