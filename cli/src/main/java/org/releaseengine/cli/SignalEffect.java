package org.releaseengine.cli;

import java.util.function.Predicate;
import org.releaseengine.model.RefusedSignal;
import org.releaseengine.model.ReleaseStatus;

/**
 * Signals return nothing, so after sending one the CLI watches the status briefly until the effect
 * shows, or until the workflow records that it refused the signal.
 */
final class SignalEffect {

  private static final long WAIT_MS = 10_000;

  private SignalEffect() {}

  static ReleaseStatus await(Releases releases, String workflowId, ReleaseStatus before,
      Predicate<ReleaseStatus> effect) {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (true) {
      ReleaseStatus now = releases.status(workflowId);
      RefusedSignal refused = newRefusal(before, now);
      if (refused != null) {
        throw CliException.badInput("refused by " + workflowId + ": " + refused.reason());
      }
      if (effect.test(now)) {
        return now;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new CliException(1, "sent, but " + workflowId + " has not shown the effect within "
            + WAIT_MS / 1000 + "s; is a release-worker running? check with release-cli status");
      }
      Progress.sleep(100);
    }
  }

  private static RefusedSignal newRefusal(ReleaseStatus before, ReleaseStatus now) {
    int seen = before.refusedSignals().size();
    return now.refusedSignals().size() > seen ? now.refusedSignals().get(seen) : null;
  }
}
