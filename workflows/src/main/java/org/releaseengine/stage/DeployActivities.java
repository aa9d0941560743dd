package org.releaseengine.stage;

import io.temporal.activity.ActivityInterface;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.Slot;

/**
 * Blue-green on every host of an environment. Each method is idempotent: re-running it after a
 * crash at any point converges on the same end state. Only the environment workflow calls these, so
 * no two ever run at once on one environment.
 */
@ActivityInterface
public interface DeployActivities {

  /** Where a deployment goes: the environment, the slot to (re)start, and the pinned image. */
  record SlotTarget(
      String service, String environment, EnvironmentSpec spec, Slot slot, ImageRef image) {}

  /**
   * Pull by digest, start {@code target.slot}, health-check it, switch nginx to it, verify, drain.
   */
  void deploy(SlotTarget target);

  /** Switch nginx back to a slot that is still running (instant rollback): no pull, no start. */
  void switchTo(SlotTarget target);

  /** Stop the slot that is no longer live once its rollback window has passed. */
  void retire(SlotTarget target);
}
