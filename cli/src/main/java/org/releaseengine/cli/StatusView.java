package org.releaseengine.cli;

import java.io.PrintWriter;
import java.util.List;
import org.releaseengine.model.Decision;
import org.releaseengine.model.Measurement;
import org.releaseengine.model.RefusedSignal;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.StageState;
import org.releaseengine.model.StageStatus;

/**
 * The text form of a release's status: a header, one line per stage, the decisions, the metric
 * measurements, the refused signals, the outcome.
 */
final class StatusView {

  private StatusView() {}

  static void print(PrintWriter out, ReleaseStatus status) {
    out.printf("%s  %s%n", status.releaseId(), status.state());
    out.printf(
        "  requested by %s%s%n",
        status.requester(), status.image() == null ? "" : "; image " + status.image().pinned());
    out.printf("  %-24s %-10s %7s  %s%n", "STAGE", "STATE", "TIME", "DETAIL");
    for (StageStatus stage : status.stages()) {
      out.println("  " + stageLine(stage));
    }
    for (Decision decision : status.decisions()) {
      out.printf(
          "  %s by %s at %s%s%n",
          switch (decision.kind()) {
            case APPROVE -> "approved";
            case PROMOTE -> "canary promoted";
            case REJECT -> "rejected";
          },
          decision.by(),
          Output.time(decision.atMs()),
          decision.comment() == null ? "" : " (\"" + decision.comment() + "\")");
    }
    if (status.measurements() != null && !status.measurements().isEmpty()) {
      out.println("  measurements:");
      for (Measurement m : status.measurements()) {
        out.printf(
            "    %s  %-20s %-8s %s%n",
            Output.time(m.atMs()),
            m.check(),
            m.verdict(),
            m.value() == null ? "no data" : String.format("%.4g", m.value()));
      }
    }
    if (status.traffic() != null) {
      out.println("  " + status.traffic().describe());
    }
    if (status.refusedSignalsDropped() > 0) {
      out.printf("  %d older refused signal(s) no longer listed%n", status.refusedSignalsDropped());
    }
    for (RefusedSignal refused : status.refusedSignals()) {
      out.printf(
          "  refused %s from %s at %s: %s%n",
          refused.signal(), refused.by(), Output.time(refused.atMs()), refused.reason());
    }
    if (status.failedStage() != null) {
      out.printf("  %s at %s: %s%n", status.state(), status.failedStageLabel(), status.reason());
    }
  }

  static String stageLine(StageStatus stage) {
    long ms =
        stage.state() == StageState.RUNNING || stage.endedAtMs() == 0 ? -1 : stage.durationMs();
    return String.format(
        "%-24s %-10s %7s  %s",
        stage.label(),
        stage.state(),
        Output.seconds(ms),
        stage.summary() == null ? "" : stage.summary());
  }

  /** The one line `start --wait` and `watch` end with. */
  static String outcomeLine(ReleaseStatus status) {
    return switch (status.state()) {
      case SUCCEEDED ->
          status.releaseId()
              + " SUCCEEDED: "
              + status.image().pinned()
              + " live in "
              + lastEnvironment(status)
              + " (approved by "
              + String.join(", ", status.approvers())
              + ")";
      default ->
          status.releaseId()
              + " "
              + status.state()
              + " at stage "
              + (status.failedStage() == null ? "?" : status.failedStageLabel())
              + ": "
              + status.reason();
    };
  }

  /** The environment a release ends in: the last one its stages name, production without any. */
  static String lastEnvironment(ReleaseStatus status) {
    String last = ReleaseSpec.PRODUCTION;
    for (StageStatus stage : status.stages() == null ? List.<StageStatus>of() : status.stages()) {
      if (stage.environment() != null) {
        last = stage.environment();
      }
    }
    return last;
  }
}
