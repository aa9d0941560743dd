package org.releaseengine.bluegreen;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.releaseengine.model.Slot;
import org.releaseengine.runtime.ContainerLaunch;
import org.releaseengine.runtime.ContainerRuntime;
import org.releaseengine.ssh.StepFailed;
import org.releaseengine.stage.DeployActivities.SlotTarget;
import org.releaseengine.traffic.TrafficRouter;

/**
 * Blue-green (and a canary's steps) for one target on one host, one step after another, through the
 * host's proxy and container runtime; each step is safe to run again after a crash. What the proxy
 * serves is read on the host, never assumed: a slot it sends traffic to is never replaced or
 * stopped (the start and stop on the host check it themselves).
 */
final class BlueGreenHost {

  static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

  private final String name;
  private final SlotTarget target;
  private final TrafficRouter router;
  private final ContainerRuntime runtime;

  BlueGreenHost(String name, SlotTarget target, TrafficRouter router, ContainerRuntime runtime) {
    this.name = name;
    this.target = target;
    this.router = router;
    this.runtime = runtime;
  }

  String name() {
    return name;
  }

  /** What the proxy on this host sends the service's traffic to: each slot with its weight. */
  Map<Slot, Integer> traffic() throws IOException {
    return router.serving();
  }

  /**
   * Deploys the target to {@code slot} and switches traffic to it. A host that a canary left
   * weighted is first settled on {@code stable}. Returns a note when the old routing was still
   * draining at the drain timeout (the switch stands; the old slot stays warm).
   */
  Optional<String> deploy(Slot slot, Slot stable, ContainerLaunch launch) throws IOException {
    settle(slot, stable);
    startHealthy(slot, launch);
    return switchAndDrain(slot);
  }

  /**
   * Starts the target's slot beside the live one (a canary): pulled, started, healthy, no traffic.
   * A host an earlier canary left weighted is first settled on {@code stable}, as a deploy does.
   */
  void startBeside(Slot stable, ContainerLaunch launch) throws IOException {
    settle(target.slot(), stable);
    startHealthy(target.slot(), launch);
  }

  /**
   * A host a canary left weighted (its way back failed) sends every request to {@code stable}
   * before {@code slot}, which still takes some, is replaced.
   */
  private void settle(Slot slot, Slot stable) throws IOException {
    if (router.serving().size() > 1 && stable != null && stable != slot) {
      switchAndDrain(stable);
    }
  }

  /** Shares the requests between the canary slot ({@code percent}) and the stable one. */
  Optional<String> weigh(int percent) throws IOException {
    return router.drain(router.weigh(target.slot(), percent), drainTimeout());
  }

  /** Refuses the target on this host, before anything changes on it, for a mount gone astray. */
  void checkHostPaths() throws IOException {
    runtime.checkVolumes();
  }

  private void startHealthy(Slot slot, ContainerLaunch launch) throws IOException {
    runtime.pull(launch);
    runtime.start(
        slot,
        launch,
        router.unlessServing(
            slot,
            StepFailed.SERVING_EXIT,
            "the " + slot.label() + " slot serves traffic: refusing to replace it"));
    Optional<String> sick = runtime.health(slot, target.spec().healthBudget());
    if (sick.isPresent()) {
      runtime.stop("stop the failed slot", slot, null);
      throw new StepFailed(
          StepFailed.HEALTH_CHECK,
          "health check of the "
              + slot.label()
              + " slot on "
              + name
              + " failed: "
              + sick.get()
              + "; traffic stays where it was");
    }
  }

  /**
   * Sends traffic to a slot that still runs (rollback inside the window, or back to where the host
   * was): no pull, no start.
   */
  Optional<String> switchTo(Slot slot) throws IOException {
    if (!runtime.running(slot)) {
      throw new StepFailed(
          StepFailed.STEP, "the " + slot.label() + " slot is not running on " + name);
    }
    return switchAndDrain(slot);
  }

  /** Stops a slot the proxy sends no traffic to: a live slot is never retired. */
  void retire(Slot slot) throws IOException {
    runtime.stop(
        "retire the " + slot.label() + " slot",
        slot,
        router.unlessServing(slot, 1, "refusing to stop the live slot"));
  }

  private Optional<String> switchAndDrain(Slot to) throws IOException {
    TrafficRouter.Change switched = router.switchTo(to);
    router.verify(to);
    return router.drain(switched, drainTimeout());
  }

  private Duration drainTimeout() {
    Duration timeout = target.spec().drainTimeout();
    return timeout == null ? DEFAULT_DRAIN_TIMEOUT : timeout;
  }
}
