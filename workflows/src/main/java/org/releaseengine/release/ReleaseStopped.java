package org.releaseengine.release;

import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.Stage;

/** Ends the release early with a final state, the stage it stopped at and why. */
final class ReleaseStopped extends RuntimeException {

  final ReleaseState state;
  final Stage stage;

  ReleaseStopped(ReleaseState state, Stage stage, String reason) {
    super(reason, null, false, false);
    this.state = state;
    this.stage = stage;
  }
}
