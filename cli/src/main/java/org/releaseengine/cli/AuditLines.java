package org.releaseengine.cli;

import java.io.PrintWriter;
import org.releaseengine.environment.AuditEntry;
import org.releaseengine.model.Decision;
import org.releaseengine.model.StageStatus;

/** One audit entry as text: the operation, then its decisions and stage summaries indented. */
final class AuditLines {

  private AuditLines() {}

  static void print(PrintWriter out, AuditEntry e) {
    out.printf(
        "  %-22s %-8s %-12s %-10s by %s%s%s%n",
        Output.time(e.startedAtMs()),
        e.kind(),
        Output.shortSha(e.sha()),
        e.outcome(),
        e.requester(),
        e.digest() == null ? "" : ", " + e.digest(),
        e.release() == null ? "" : ", " + e.release());
    if (e.decisions() != null) {
      for (Decision d : e.decisions()) {
        out.printf(
            "  %22s %s by %s%s%s%n",
            "",
            d.kind(),
            d.by(),
            d.key() == null ? " (unsigned)" : " (" + d.key() + ")",
            d.comment() == null ? "" : ": " + d.comment());
      }
    }
    if (e.stages() != null) {
      for (StageStatus s : e.stages()) {
        out.printf(
            "  %22s %s %s%s%n",
            "", s.label(), s.state(), s.summary() == null ? "" : ": " + s.summary());
      }
    }
    if (e.reason() != null) {
      out.printf("  %22s ended: %s%n", "", e.reason());
    }
  }
}
