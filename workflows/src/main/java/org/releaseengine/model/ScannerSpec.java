package org.releaseengine.model;

import java.time.Duration;
import java.util.List;

/**
 * One security gate: the command that writes a report, its format, the threshold and the allowlist.
 */
public record ScannerSpec(
    String name,
    String command,
    String report,
    String format,
    String failOn,
    Duration timeout,
    List<AllowlistEntry> allowlist) {

  /** A finding that is accepted until {@code expires} (an ISO date), with the reason it is. */
  public record AllowlistEntry(String id, String reason, String expires) {}
}
