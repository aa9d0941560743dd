package org.releaseengine.ssh;

import org.releaseengine.stage.FailureTypes;

/** A step failed on a host; {@code type} tells whether retrying can help. */
public final class StepFailed extends RuntimeException {

  public static final String HEALTH_CHECK = "HealthCheckFailed";
  public static final String STEP = "DeployStepFailed";
  public static final String SERVING = "SlotServesTraffic";

  /** A host path through a symbolic link: the policy's volumePrefix says no, whatever retries. */
  public static final String REFUSED = FailureTypes.REFUSED;

  /**
   * The exit code of a guard that refuses to let a slot be replaced because the proxy sends it
   * traffic (TrafficRouter.unlessServing); the start that ran it fails as {@link #SERVING}.
   */
  public static final int SERVING_EXIT = 3;

  public final String type;

  public StepFailed(String type, String message) {
    super(message, null, false, false);
    this.type = type;
  }
}
