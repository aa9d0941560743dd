package org.releaseengine.release;

import org.releaseengine.model.ReleaseState;

/** Ends the release early with a final state, the stage it stopped at and why. */
final class ReleaseStopped extends RuntimeException {

  final ReleaseState state;
  final StageRef stage;

  ReleaseStopped(ReleaseState state, StageRef stage, String reason) {
    super(reason, null, false, false);
    this.state = state;
    this.stage = stage;
  }
}
