package org.releaseengine.cli;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.StageState;
import org.releaseengine.model.StageStatus;

/**
 * Follows a release, printing each stage change once (state or words), until it ends: it reads the
 * status again each time the release's history grows (a long poll, HistoryWatch), not on a timer.
 */
final class Progress {

  private Progress() {}

  static ReleaseStatus follow(
      PrintWriter out, Supplier<ReleaseStatus> status, HistoryWatch changes) {
    Map<String, StageStatus> shown = new HashMap<>();
    ReleaseState shownState = null;
    while (true) {
      ReleaseStatus now = status.get();
      for (StageStatus stage : now.stages()) {
        StageStatus before = shown.get(stage.label());
        if (stage.state() == StageState.PENDING || stage.equals(before)) {
          continue;
        }
        shown.put(stage.label(), stage);
        // a running stage with new words (a canary's next step) is stamped when it was seen
        long at =
            stage.endedAtMs() != 0
                ? stage.endedAtMs()
                : before != null && before.state() == stage.state()
                    ? System.currentTimeMillis()
                    : stage.startedAtMs();
        out.println(Output.time(at) + "  " + StatusView.stageLine(stage));
      }
      if (now.state() == ReleaseState.AWAITING_APPROVAL && shownState != now.state()) {
        out.println("waiting for approval: release-cli approve " + now.releaseId());
      }
      shownState = now.state();
      out.flush();
      if (now.state().isFinal()) {
        return now;
      }
      changes.awaitChange();
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(1, "interrupted");
    }
  }
}
