package org.releaseengine.stage;

import io.temporal.activity.ActivityInterface;
import java.util.List;
import java.util.Map;
import org.releaseengine.model.ConfigPrint;
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

  /**
   * Where a deployment goes: the environment, the slot to (re)start, and the pinned image. {@code
   * hostSlots} overrides {@code slot} per host name (hosts whose record disagrees); {@code
   * switchBack} is the slot each host served before this operation, from the environment's durable
   * record, so that every attempt of a failed deploy puts each host back where it was. Both may be
   * null (no override; switch back to what the host served when the attempt began).
   */
  record SlotTarget(
      String service,
      String environment,
      EnvironmentSpec spec,
      Slot slot,
      ImageRef image,
      Map<String, Slot> hostSlots,
      Map<String, Slot> switchBack) {

    public SlotTarget(
        String service, String environment, EnvironmentSpec spec, Slot slot, ImageRef image) {
      this(service, environment, spec, slot, image, null, null);
    }

    /** The slot this target starts (or switches to) on {@code host}. */
    public Slot slotOn(String host) {
      return hostSlots != null && hostSlots.containsKey(host) ? hostSlots.get(host) : slot;
    }

    /** The slot {@code host} served before, when the environment recorded it; else null. */
    public Slot switchBackOn(String host) {
      return switchBack == null ? null : switchBack.get(host);
    }
  }

  /**
   * What a deploy has to say beyond success: notes such as a drain that ran out of time, and the
   * keyed fingerprints of the configuration it started (null from workers before them).
   */
  record DeployReport(List<String> notes, ConfigPrint config) {

    public DeployReport(List<String> notes) {
      this(notes, null);
    }
  }

  /**
   * What nginx on each host sends the service's traffic to, read on the hosts (the ground truth a
   * deploy plans from); an unreachable host is reported, not failed.
   */
  List<HostTraffic> inspect(SlotTarget target);

  /**
   * Pull by digest, start {@code target.slotOn(host)}, health-check it, switch nginx to it, verify,
   * drain; host by host. If any host fails, every host is switched back to {@code
   * target.switchBackOn(host)} (or, without a record, to what it served when the attempt began),
   * including a host that had switched and then failed its verification or drain.
   */
  DeployReport deploy(SlotTarget target);

  /** Switch nginx back to a slot that is still running (instant rollback): no pull, no start. */
  void switchTo(SlotTarget target);

  /** Stop the slot that is no longer live once its rollback window has passed. */
  void retire(SlotTarget target);
}
