package org.releaseengine.bluegreen;

import org.releaseengine.stage.FailureTypes;

/** A blue-green step failed on a host; {@code type} tells whether retrying can help. */
final class StepFailed extends RuntimeException {

  static final String HEALTH_CHECK = "HealthCheckFailed";
  static final String STEP = "DeployStepFailed";
  static final String SERVING = "SlotServesTraffic";

  /** A host path through a symbolic link: the policy's volumePrefix says no, whatever retries. */
  static final String REFUSED = FailureTypes.REFUSED;

  final String type;

  StepFailed(String type, String message) {
    super(message, null, false, false);
    this.type = type;
  }
}
