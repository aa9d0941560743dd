package org.releaseengine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One security gate: the command that writes a report, its format, the threshold and the allowlist.
 * The command runs sealed in a throwaway container of the {@code runner} image with only {@code
 * env} (literal values from release.yaml) and RELEASE_SHA, on no network unless {@code network}
 * says {@code outbound}. A spec without a runner (one from before runners) is refused when run.
 */
public record ScannerSpec(
    String name,
    String command,
    String report,
    ReportFormat format,
    FailOn failOn,
    Duration timeout,
    List<AllowlistEntry> allowlist,
    String runner,
    Map<String, String> env,
    GateNetwork network) {

  public ScannerSpec(
      String name,
      String command,
      String report,
      ReportFormat format,
      FailOn failOn,
      Duration timeout,
      List<AllowlistEntry> allowlist) {
    this(name, command, report, format, failOn, timeout, allowlist, null, null, null);
  }

  /** The same scanner run in {@code runner}. */
  public ScannerSpec withRunner(String runner) {
    return new ScannerSpec(
        name, command, report, format, failOn, timeout, allowlist, runner, env, network);
  }

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
