package org.releaseengine.stage;

import io.temporal.activity.ActivityInterface;
import org.releaseengine.model.ConfigPrint;
import org.releaseengine.stage.DeployActivities.SlotTarget;

/**
 * A canary on every host of an environment: the new slot beside the live one, and nginx's weights
 * between them. Idempotent like {@link DeployActivities}; only the environment workflow calls
 * these. The final promotion and the way back to stable are {@link DeployActivities#switchTo}.
 */
@ActivityInterface
public interface CanaryActivities {

  /**
   * Pull by digest, start {@code canary.slot} and health-check it; no request reaches it yet.
   * Returns the keyed fingerprints of the configuration it started (null from older workers).
   */
  ConfigPrint startCanary(SlotTarget canary);

  /**
   * Sends {@code percent} (1-99) of the requests to {@code canary.slot} and the rest to the other,
   * stable slot, as nginx weights {@code percent} and {@code 100 - percent}.
   */
  void setCanaryWeight(SlotTarget canary, int percent);
}
