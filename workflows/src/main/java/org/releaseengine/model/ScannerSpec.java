package org.releaseengine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.List;

/**
 * One security gate: the command that writes a report, its format, the threshold and the allowlist.
 */
public record ScannerSpec(
    String name,
    String command,
    String report,
    ReportFormat format,
    FailOn failOn,
    Duration timeout,
    List<AllowlistEntry> allowlist) {

  /** A finding that is accepted until {@code expires} (an ISO date), with the reason it is. */
  public record AllowlistEntry(String id, String reason, String expires) {}

  /**
   * The threshold as release.yaml spells it: a severity, npm's "moderate", or a SARIF level. It
   * keeps its spelling (a gate summary says "fails on error" when the spec said so); {@link
   * #severity()} is what it means.
   */
  public enum FailOn implements Spelled {
    CRITICAL("critical"),
    HIGH("high"),
    MODERATE("moderate"),
    MEDIUM("medium"),
    LOW("low"),
    ERROR("error"),
    WARNING("warning"),
    NOTE("note");

    private final String value;

    FailOn(String value) {
      this.value = value;
    }

    /** The spelling in release.yaml, the JSON and the histories. */
    @Override
    @JsonValue
    public String value() {
      return value;
    }

    /** The severity at or above which the gate fails. */
    public Severity severity() {
      return Severity.parse(value);
    }

    /** The threshold spelled {@code value}, or null when it is none. */
    public static FailOn parse(String value) {
      return Spelled.parse(FailOn.class, value);
    }

    @JsonCreator
    static FailOn of(String value) {
      return Spelled.strict(FailOn.class, value, "failOn");
    }

    @Override
    public String toString() {
      return value;
    }
  }
}
