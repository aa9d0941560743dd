package org.releaseengine.bluegreen;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.Slot;
import org.releaseengine.ssh.HostConfig;
import org.releaseengine.ssh.SshConnections;
import org.releaseengine.ssh.SshConnections.Result;
import org.releaseengine.stage.DeployActivities.SlotTarget;

/**
 * Blue-green (and a canary's steps) on one host, one step after another; each step is safe to run
 * again after a crash.
 */
final class BlueGreenHost {

  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(5);
  private static final int HEALTH_ATTEMPTS = 60; // 0.25 s apart: the app has ~15 s to come up
  private static final int VERIFY_ATTEMPTS = 100; // 0.05 s apart
  private static final int DRAIN_SECONDS = 30;

  private final HostSpec host;
  private final HostConfig config;
  private final SshConnections ssh;
  private final Consumer<String> progress;

  BlueGreenHost(HostSpec host, HostConfig config, SshConnections ssh, Consumer<String> progress) {
    this.host = host;
    this.config = config;
    this.ssh = ssh;
    this.progress = progress;
  }

  /**
   * Deploys {@code target} to its slot and switches traffic to it. Returns the slot port that was
   * live before (empty when this was the first deploy), so that a failure elsewhere can switch
   * back.
   */
  String deploy(SlotTarget target) throws IOException {
    SlotCommands slot = new SlotCommands(target, host, config, target.slot());
    String before = run("read the live slot", slot.livePort()).stdout().trim();
    startHealthy(target, slot);
    switchAndDrain(target.slot(), slot);
    return before;
  }

  /**
   * Starts {@code target}'s slot beside the live one (a canary): pulled, started, healthy, no
   * traffic.
   */
  void startBeside(SlotTarget target) throws IOException {
    startHealthy(target, new SlotCommands(target, host, config, target.slot()));
  }

  /**
   * Shares the requests between the canary slot ({@code percent}) and the stable one (the rest).
   */
  void weigh(SlotTarget target, int percent) throws IOException {
    SlotCommands slot = new SlotCommands(target, host, config, target.slot());
    Result weighed =
        step(
            "send " + percent + "% to the " + target.slot().label() + " slot",
            slot.weighTraffic(percent));
    drain(weighed);
  }

  private void startHealthy(SlotTarget target, SlotCommands slot) throws IOException {
    step("pull " + target.image().pinned(), slot.pull());
    step("start the " + target.slot().label() + " slot", slot.start());
    healthCheck(target, slot);
  }

  /**
   * Sends traffic back to a slot that still runs (rollback inside the window): no pull, no start.
   */
  void switchTo(SlotTarget target) throws IOException {
    SlotCommands slot = new SlotCommands(target, host, config, target.slot());
    if (!run("check the " + target.slot().label() + " slot", slot.isRunning()).ok()) {
      throw new StepFailed(
          StepFailed.STEP,
          "the " + target.slot().label() + " slot is not running on " + host.name());
    }
    switchAndDrain(target.slot(), slot);
  }

  /** Points nginx back at the slot on {@code port} (after another host failed). */
  void switchBack(SlotTarget target, String port) throws IOException {
    Slot slot = String.valueOf(target.spec().slots().blue()).equals(port) ? Slot.BLUE : Slot.GREEN;
    switchAndDrain(slot, new SlotCommands(target, host, config, slot));
  }

  void retire(SlotTarget target) throws IOException {
    step(
        "retire the " + target.slot().label() + " slot",
        new SlotCommands(target, host, config, target.slot()).stopUnlessLive());
  }

  private void healthCheck(SlotTarget target, SlotCommands slot) throws IOException {
    Result health =
        run(
            "health-check the " + target.slot().label() + " slot",
            slot.healthCheck(HEALTH_ATTEMPTS));
    if (!health.ok()) {
      run("stop the failed slot", slot.stop());
      throw new StepFailed(
          StepFailed.HEALTH_CHECK,
          "health check of the "
              + target.slot().label()
              + " slot on "
              + host.name()
              + " failed: "
              + health.reason()
              + "; traffic stays where it was");
    }
  }

  private void switchAndDrain(Slot to, SlotCommands slot) throws IOException {
    Result switched = step("switch nginx to the " + to.label() + " slot", slot.switchTraffic());
    step("verify through nginx", slot.verifyThroughNginx(VERIFY_ATTEMPTS));
    drain(switched);
  }

  /** Once the old nginx workers have gone, no request follows the previous upstream any more. */
  private void drain(Result reloaded) throws IOException {
    String out = reloaded.stdout().trim();
    if (out.startsWith("old-workers:")) {
      step(
          "wait for the old nginx workers",
          SlotCommands.awaitExit(out.substring(12).trim(), DRAIN_SECONDS));
    }
  }

  private Result step(String what, String command) throws IOException {
    Result result = run(what, command);
    if (!result.ok()) {
      throw new StepFailed(
          StepFailed.STEP, what + " on " + host.name() + " failed: " + result.reason());
    }
    return result;
  }

  private Result run(String what, String command) throws IOException {
    progress.accept(host.name() + ": " + what);
    return ssh.exec(host, config, command, STEP_TIMEOUT);
  }
}
