package org.releaseengine.client;

import java.util.function.Function;
import java.util.function.Predicate;
import org.releaseengine.model.RefusedSignal;
import org.releaseengine.model.ReleaseStatus;

/**
 * Signals return nothing, so whoever sends one (release-cli, the Slack endpoint) watches the
 * release's status briefly: until the effect shows, or until the workflow records that it refused
 * the signal.
 */
public final class SignalWatch {

  /** What became of a signal, with one line to show the person who sent it. */
  public record Outcome(Result result, String message, ReleaseStatus status) {
    public boolean accepted() {
      return result == Result.ACCEPTED;
    }
  }

  /**
   * Accepted; refused (by a check before signalling, or by the workflow); or sent without effect.
   */
  public enum Result {
    ACCEPTED,
    REFUSED,
    NO_EFFECT
  }

  private static final long WAIT_MS = 10_000;

  private SignalWatch() {}

  /**
   * Polls {@code statusOf} after a signal. {@code before} is the status read before sending it, so
   * that a refusal recorded since then is recognised as this signal's.
   */
  public static Outcome await(
      Function<String, ReleaseStatus> statusOf,
      String workflowId,
      ReleaseStatus before,
      Predicate<ReleaseStatus> effect,
      Function<ReleaseStatus, String> acceptedLine)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (System.currentTimeMillis() < deadline) {
      ReleaseStatus now = statusOf.apply(workflowId);
      if (now.refusedSignalsTotal() > before.refusedSignalsTotal()) {
        // the first refusal since `before`; the list holds the newest ones only
        int index = Math.max(0, before.refusedSignalsTotal() - now.refusedSignalsDropped());
        RefusedSignal refused = now.refusedSignals().get(index);
        return new Outcome(
            Result.REFUSED, "refused by " + workflowId + ": " + refused.reason(), now);
      }
      if (effect.test(now)) {
        return new Outcome(Result.ACCEPTED, acceptedLine.apply(now), now);
      }
      Thread.sleep(100);
    }
    return new Outcome(
        Result.NO_EFFECT,
        "sent, but "
            + workflowId
            + " has not shown the effect within "
            + WAIT_MS / 1000
            + "s; is a release-worker running? check with release-cli status",
        before);
  }
}
