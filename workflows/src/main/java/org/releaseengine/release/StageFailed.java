package org.releaseengine.release;

import org.releaseengine.model.ReleaseState;

/**
 * Thrown inside a stage when its work finished but its verdict is a failure (a gate said no); the
 * release ends in {@code outcome} (ROLLED_BACK when a canary had taken traffic and was taken back).
 */
final class StageFailed extends RuntimeException {

  final ReleaseState outcome;

  StageFailed(String reason) {
    this(reason, ReleaseState.FAILED);
  }

  StageFailed(String reason, ReleaseState outcome) {
    super(reason, null, false, false);
    this.outcome = outcome;
  }
}
